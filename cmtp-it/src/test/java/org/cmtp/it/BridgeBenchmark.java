package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.message.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge's figures (docs/BENCHMARKS.md, "Bridge"), not a test of correctness: bob's
 * mailbox gets 1,000 sealed 1 KiB messages over CMTP; his bridge starts; Python's imaplib
 * signs in, selects INBOX and FETCHes every message's BODY.PEEK[] (first time: each one
 * fetched from the user API and decrypted; then from the bridge's memory); then alice's
 * bridge takes 1 MiB attachments over smtplib, each answered 250 once sealed, submitted and
 * its receipt verified. Run with {@code -Dit.test=BridgeBenchmark}; 127.0.0.113, ports
 * chosen per run ({@link FreePorts}).
 */
class BridgeBenchmark {

    private static final int MESSAGES = Integer.getInteger("bridge.bench.messages", 1000);
    private static final int ROUNDS = Integer.getInteger("bridge.bench.rounds", 5);

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    @Test
    void imapFetchAndSmtpSubmission() throws Exception {
        String host = "127.0.0.113";
        LaunchedServer server = servers.newServer("bridge-bench", host, FreePorts.take(), "bench.test",
                "bench-admin-password");
        servers.start(server);
        AdminClient admin = server.admin();
        admin.createAccount("alice", "alice-password-1234");
        admin.createAccount("bob", "bob-password-123456");
        MailAddress alice = new MailAddress("alice", "bench.test");
        MailAddress bob = new MailAddress("bob", "bench.test");
        String text = "x".repeat(1000) + "\n";
        long filling = System.nanoTime();
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(host, server.cmtpPort()), Duration.ofSeconds(30),
                Duration.ofSeconds(30))) {
            MailSender sender = new MailSender(client, client.serverKey(), Clock.systemUTC());
            for (int i = 0; i < MESSAGES; i++) {
                for (Receipt receipt : sender.send(OutgoingMail.from(alice).to(bob).subject("bench " + i).text(text)
                        .build())) {
                    assertTrue(receipt.delivered(), receipt.toString());
                }
            }
        }
        System.out.printf("filled bob's mailbox with %d sealed 1 KiB messages in %.1f s%n", MESSAGES,
                (System.nanoTime() - filling) / 1e9);
        Path configs = Files.createDirectories(Path.of("target", "bridge-bench-config"));
        // alice's bridge first: bob's cold fetch below starts as soon as his bridge has
        // signed in, with nothing else in between (it opens INBOX in the background from then on)
        try (BridgeIT.BridgeProcess aliceBridge = new BridgeIT.BridgeProcess(server, alice.toString(),
                "alice-password-1234", BridgeIT.fresh(configs.resolve("alice")), host, FreePorts.take(), FreePorts.take())) {
            long starting = System.nanoTime();
            try (BridgeIT.BridgeProcess bobBridge = new BridgeIT.BridgeProcess(server, bob.toString(),
                    "bob-password-123456", BridgeIT.fresh(configs.resolve("bob")), host, FreePorts.take(), FreePorts.take())) {
                long signedIn = System.nanoTime();
                long signedInMillis = System.currentTimeMillis();
                System.out.printf("bob's bridge: signed in (proof of key) and listed %d messages, listening after"
                        + " %.2f s (JVM start included)%n", MESSAGES, (signedIn - starting) / 1e9);
                String output = BridgeIT.run(Duration.ofMinutes(10), "python3", "src/test/python/bridge_bench.py",
                        host, Integer.toString(bobBridge.imapPort), bob.toString(), bobBridge.password,
                        Integer.toString(aliceBridge.smtpPort), alice.toString(), aliceBridge.password,
                        Integer.toString(MESSAGES), Integer.toString(ROUNDS));
                assertTrue(output.contains("median"), output);
                Matcher first = Pattern.compile("first FETCH ended at ([0-9.]+) \\(connected at ([0-9.]+)")
                        .matcher(output);
                assertTrue(first.find(), output);
                System.out.printf("bob's bridge: first FETCH of all %d done %.2f s after his bridge printed its"
                        + " password (imaplib connected after %.2f s)%n", MESSAGES,
                        Double.parseDouble(first.group(1)) - signedInMillis / 1000.0,
                        Double.parseDouble(first.group(2)) - signedInMillis / 1000.0);
                System.out.println("bob's bridge said:\n" + bobBridge.err);
            }
        }
        System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
    }
}
