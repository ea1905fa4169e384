package org.cmtp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;

import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command without a server: exit codes, messages, and {@code open} of a sealed message. */
class CliTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Map.of(), null).run(args);
    }

    @Test
    void helpUsageErrorsAndFailuresHaveTheirExitCodes() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: cmtp"));
        assertEquals(1, run());
        assertEquals(1, run("send", "--to", "bob@b.test"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cmtp: send needs --from"), err.toString());
        err.reset();
        assertEquals(1, run("login", "carol"), "no password source and no console");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no password"), err.toString());
        err.reset();
        assertEquals(2, run("--server", "127.0.0.1:1", "--timeout", "2", "keyrequest", "bob@b.test"));
        assertEquals("cmtp: 127.0.0.1:1 connect: Connection refused", err.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void aBridgeOnAnAddressThatIsNotLoopbackSaysSoLoudly() {
        // nothing answers on 127.0.0.110:15199, so sign-in fails and nothing is ever bound;
        // the warning comes before sign-in, so that it is seen even then
        Map<String, String> environment = Map.of("CMTP_PASSWORD", "not used", "CMTP_CONFIG_DIR", directory.toString());
        String[] bridge = {"--api", "https://127.0.0.110:15199/", "--timeout", "2", "bridge", "bob@b.test"};
        for (String[] loopback : new String[][] {{}, {"--bind", "127.0.0.111"}, {"--bind", "::1"}}) {
            err.reset();
            assertEquals(2, run(environment, concat(bridge, loopback)), err.toString());
            assertFalse(err.toString(StandardCharsets.UTF_8).contains("WARNING"), err.toString());
        }
        for (String[] exposed : new String[][] {{"--bind", "0.0.0.0"}, {"--bind", "192.0.2.7"}, {"--bind", "::"}}) {
            err.reset();
            assertEquals(2, run(environment, concat(bridge, exposed)), err.toString());
            String said = err.toString(StandardCharsets.UTF_8);
            long warnings = said.lines().filter(l -> l.startsWith("cmtp bridge: WARNING: listening on")
                    && l.contains("NOT loopback") && l.contains("read your decrypted mail")).count();
            assertEquals(3, warnings, String.join(" ", exposed) + ":\n" + said);
            if (exposed[1].equals("0.0.0.0")) {
                assertTrue(said.contains("EVERY address of this machine"), said);
            }
        }
    }

    private int run(Map<String, String> environment, String... args) {
        return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), environment, null).run(args);
    }

    private static String[] concat(String[] first, String[] more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void opensAStoredMessageAndPrintsItsFields() throws Exception {
        Ed25519KeyPair carol = Ed25519KeyPair.generate(new SecureRandom());
        MailAddress to = new MailAddress("carol", "c.test");
        OutgoingMail mail = OutgoingMail.from(new MailAddress("alice", "a.test")).to(to)
                .subject("Quarterly \u001b[31mnumbers").text("Hi Carol,\nhere they are.\n")
                .carbonCopy(new MailAddress("bob", "b.test"))
                .attach(new Attachment("q3.csv", "1,2,3\n".getBytes(StandardCharsets.UTF_8))).build();
        Path message = directory.resolve("message.cmtp");
        Files.write(message, MailSender.seal(mail, to, carol.publicKey(), Instant.parse("2026-11-28T16:00:00Z")).encode());
        Path keys = directory.resolve("carol.cmtpkey");
        KeyFile.write(keys, carol, "carol", "test", false);

        assertEquals(0, run("open", "--keys", keys.toString(), message.toString()), err.toString());
        assertEquals("""
                From: alice@a.test
                To: carol@c.test
                Reply-To: alice@a.test
                Subject: Quarterly ?[31mnumbers
                Date: 2026-11-28T16:00:00Z
                CC: bob@b.test
                Attachment: q3.csv (6 bytes)

                Hi Carol,
                here they are.
                """, out.toString(StandardCharsets.UTF_8));

        Path wrongKeys = directory.resolve("other.cmtpkey");
        KeyFile.write(wrongKeys, Ed25519KeyPair.generate(new SecureRandom()), "x", "test", false);
        assertEquals(2, run("open", "--keys", wrongKeys.toString(), message.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not open with the keys"), err.toString());
    }

    @Test
    void percentilesAreNearestRank() {
        long[] latencies = new long[100];
        for (int i = 0; i < 100; i++) {
            latencies[i] = (100 - i) * 1_000_000L;
        }
        assertEquals(50.0, Bench.percentileMillis(latencies, 50));
        assertEquals(90.0, Bench.percentileMillis(latencies, 90));
        assertEquals(99.0, Bench.percentileMillis(latencies, 99));
        assertEquals(7.0, Bench.percentileMillis(new long[] {7_000_000L}, 99));
        assertEquals(0.0, Bench.percentileMillis(new long[0], 50));
    }
}
