package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.ProtocolOracle;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.CommandDecoder;
import org.cmtp.protocol.Mutations;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyDecoder;
import org.cmtp.protocol.ReplyKind;
import org.cmtp.vectors.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mutation fuzzer over the wire vectors, run only in the {@code fuzz} profile
 * ({@code mvn -B verify -Pfuzz -pl cmtp-it -am -DskipUnitTests}): a fixed number of inputs,
 * a fixed seed (both can be set: {@code -Dfuzz.inputs}, {@code -Dfuzz.seed}), inputs per
 * second and every finding printed.
 *
 * <p>The oracle is {@link ProtocolOracle}, written from PROTOCOL.md, not the server's own
 * command decoder: for each mutated stream it says which replies the server owes (one per
 * command or error, until an error that ends the session), and the server's answer must
 * decode as exactly those replies, then the server must close. The decoder test compares
 * the oracle with {@code CommandDecoder} on every mutated input (a difference is a finding).
 * A finding is a reply stream that does not decode, a missing or extra reply, a server
 * that does not close, or a warning in the server's log.
 */
class FuzzIT {

    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 3000);
    private static final int DECODER_INPUTS = Integer.getInteger("fuzz.decoder.inputs", 1_000_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261128L);
    private static final String DOMAIN = "fuzz.test";

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();
    private static final int MAX_BAD_COMMANDS = 10;
    /**
     * The expected replies, from PROTOCOL.md (not from the server's decoder), with the launched server's
     * limits: cmtp.max-message-size and cmtp.max-attachments at their defaults (25 MiB, 1000), the log limit
     * of 64 KiB, cmtp.max-bad-commands 10.
     */
    private static final ProtocolOracle ORACLE = new ProtocolOracle(26_214_400, 1000, 64 * 1024, MAX_BAD_COMMANDS);

    @Test
    void theDecoderSurvivesMutatedVectors() throws Exception {
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        List<String> findings = new ArrayList<>();
        long start = System.nanoTime();
        long owedReplies = 0;
        for (int i = 0; i < DECODER_INPUTS; i++) {
            byte[] input = Mutations.mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                Owed whole = owed(input);
                ProtocolOracle.Owed expected = ORACLE.owed(input);
                owedReplies += expected.kinds().size();
                if (!expected.kinds().equals(whole.kinds()) || expected.serverEnds() != whole.serverEnds()) {
                    findings.add("the oracle owes " + expected + ", the decoder " + whole + " for "
                            + HexFormat.of().formatHex(input));
                }
                if (i % 100 == 0) {
                    Owed split = owed(input, Mutations.randomPieces(input.length, random));
                    if (!whole.equals(split)) {
                        findings.add("split decoding differs for " + HexFormat.of().formatHex(input));
                    }
                }
            } catch (RuntimeException e) {
                findings.add(e + " for " + HexFormat.of().formatHex(input));
            }
        }
        report("decoder", DECODER_INPUTS, start, findings, owedReplies);
    }

    @Test
    void theServerAnswersMutatedVectorsExactlyAsTheProtocolSays() throws Exception {
        String password = "fuzz admin password";
        LaunchedServer server = servers.newServer("fuzz-server", DOMAIN, password)
                .with("CMTP_IDLE_TIMEOUT", "3")
                .with("CMTP_MESSAGE_TIMEOUT", "5")
                .with("CMTP_RELAY_NETWORKS", "") // mutated MAIL for other domains is refused, not queued
                .with("CMTP_LOGIN_RATE", "0"); // LOGIN seeds must not hit the rate limit
        servers.start(server);
        server.admin().createAccount("bob", "bob's fuzz password");
        byte[] serverKey = server.serverKey();
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        List<String> findings = new ArrayList<>();
        int logBefore = server.log().length();
        long start = System.nanoTime();
        repliesChecked = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = Mutations.mutate(seeds.get(random.nextInt(seeds.size())), random);
            String finding = exchange(server, input);
            if (finding != null) {
                findings.add(finding + " for input " + HexFormat.of().formatHex(input));
            }
        }
        // what the inputs made the server log: errors, and the adapter's warnings (a session that failed);
        // the domain's warnings about keys of made-up domains that cannot be found are expected
        server.log().substring(logBefore).lines()
                .filter(line -> line.contains("[SEVERE]") || line.contains("OutOfMemoryError")
                        || (line.contains("[WARNING]") && line.contains("org.cmtp.ra.")))
                .limit(20)
                .forEach(line -> findings.add("server log: " + line));
        try (RawCmtpConnection good = server.connect()) {
            good.readText();
            Replies.expectKey(good.send("KEYREQUEST\0\0"), serverKey);
        }
        report("server", INPUTS, start, findings, repliesChecked);
    }

    /** Sends one input and checks the replies; a finding, or null. */
    private static String exchange(LaunchedServer server, byte[] input) throws IOException {
        ProtocolOracle.Owed expected = ORACLE.owed(input);
        Owed owed = new Owed(expected.kinds(), expected.serverEnds());
        byte[] answer;
        boolean reset = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.host(), server.cmtpPort()), 5000);
            socket.setSoTimeout(15000);
            InputStream in = socket.getInputStream();
            readBanner(in);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.getOutputStream().write(input);
                socket.shutdownOutput();
                in.transferTo(received);
            } catch (SocketTimeoutException e) {
                return "the server did not close within 15 s after the client's end of stream";
            } catch (IOException e) {
                // the server ended the session with input unread: the kernel may reset, losing replies in flight
                reset = true;
            }
            answer = received.toByteArray();
        }
        return check(owed, answer, reset);
    }

    private static String check(Owed owed, byte[] answer, boolean reset) {
        ReplyDecoder decoder = new ReplyDecoder();
        owed.kinds.forEach(decoder::expect);
        decoder.feed(answer);
        int replies = 0;
        try {
            for (Optional<Reply> reply = decoder.next(); reply.isPresent(); reply = decoder.next()) {
                replies++;
            }
            if (reset && owed.serverEnds) {
                return null; // a prefix of the owed replies, cut by the reset, is all that can be checked
            }
            decoder.finish();
        } catch (ProtocolException e) {
            return "reply " + (replies + 1) + " of " + owed.kinds.size() + " " + owed.kinds + " does not decode: "
                    + e.getMessage() + (reset ? " (connection reset)" : "");
        }
        if (replies != owed.kinds.size()) {
            return replies + " replies where " + owed.kinds.size() + " were owed";
        }
        repliesChecked += replies;
        return null;
    }

    private static void readBanner(InputStream in) throws IOException {
        for (int b = in.read(); b != 0; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed before the banner ended");
            }
        }
    }

    /** The replies a server owes for {@code input} as a whole stream, by our decoder. */
    private static Owed owed(byte[] input) {
        return owed(input, new int[] {input.length});
    }

    private static Owed owed(byte[] input, int[] pieces) {
        CommandDecoder decoder = new CommandDecoder(ProtocolLimits.DEFAULTS);
        List<ReplyKind> kinds = new ArrayList<>();
        int badCommands = 0; // over the connection's life: a valid command does not reset it (cmtp.max-bad-commands)
        int offset = 0;
        for (int piece : pieces) {
            int length = Math.min(piece, input.length - offset);
            decoder.feed(input, offset, length);
            offset += length;
            while (true) {
                try {
                    Optional<Command> command = decoder.next();
                    if (command.isEmpty()) {
                        break;
                    }
                    kinds.add(ReplyKind.forCommand(command.get()));
                    if (command.get() instanceof Command.Obai) {
                        return new Owed(kinds, true);
                    }
                } catch (ProtocolException e) {
                    kinds.add(ReplyKind.STATUS);
                    badCommands++;
                    if (!e.isRecoverable() || badCommands >= MAX_BAD_COMMANDS) {
                        return new Owed(kinds, true);
                    }
                }
            }
        }
        return new Owed(kinds, false);
    }

    /** The replies owed, and whether the server ends the session itself (perhaps with input unread). */
    private record Owed(List<ReplyKind> kinds, boolean serverEnds) {
    }

    /** The shared wire vectors, plus the same kinds of command addressed to this server's account. */
    private static List<byte[]> seeds() throws IOException {
        byte[] local = MailBytes.to("bob", DOMAIN)
                .log(Files.readString(Vectors.path("mail_log.txt"), StandardCharsets.UTF_8))
                .body(Files.readAllBytes(Vectors.path("sealed.bin")))
                .attachment(Files.readAllBytes(Vectors.path("sealed.bin")))
                .command();
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Files.readAllBytes(Vectors.path("mail_wire.bin")));
        seeds.add(local);
        for (String command : List.of("KEYREQUEST\0\0", "KEYREQUEST\0bob\0" + DOMAIN + "\0", "LOGIN\0bob\0", "NOOP\0",
                "OHAI\0", "HELP\0", "OBAI\0")) {
            seeds.add(command.getBytes(StandardCharsets.UTF_8));
        }
        seeds.add(MailBytes.concat("OHAI\0KEYREQUEST\0bob\0fuzz.test\0".getBytes(StandardCharsets.UTF_8), local,
                "NOOP\0LOGIN\0bob\0OBAI\0".getBytes(StandardCharsets.UTF_8)));
        return seeds;
    }

    /** Replies of the server decoded and compared with what was owed, in the server test. */
    private static long repliesChecked;

    /**
     * Prints the figures and fails on findings, or when the run checked too little to mean anything: every seed
     * is a command owing a reply, and a mutation keeps most of it, so at least half as many replies as inputs
     * are owed and checked; a fuzzer whose inputs no longer reach the parser (say, a broken seed file) falls
     * below that.
     */
    private static void report(String target, int inputs, long startNanos, List<String> findings, long replies) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("FuzzIT %s: %d inputs in %.1f s = %.0f inputs/s, seed %d, %d replies checked, %d findings%n",
                target, inputs, seconds, inputs / seconds, SEED, replies, findings.size());
        findings.stream().limit(50).forEach(finding -> System.out.println("FuzzIT finding: " + finding));
        assertEquals(List.of(), findings.stream().limit(5).toList(), findings.size() + " findings");
        assertTrue(replies >= inputs / 2L, "only " + replies + " replies checked for " + inputs + " inputs");
    }
}
