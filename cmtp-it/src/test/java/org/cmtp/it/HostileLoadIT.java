package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.HeapWatch;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile clients of a public mail port, many at once, against a server with a small
 * heap (the README's server, started as an operator would, with {@code -Xmx512m}). After
 * each attack a good client is served within two seconds; the server's heap, read from its
 * own metrics all along, stays under its limit and no {@code OutOfMemoryError} is logged.
 *
 * <p>The timeouts are scaled down from the defaults so the test runs in minutes: a client
 * that "sends one byte a minute" is one that is slower than the idle timeout (4 s) or than
 * the message timeout (8 s), which is what makes it hostile at any scale.
 */
class HostileLoadIT {

    private static final String DOMAIN = "hostile.test";
    private static final String PASSWORD = "hostile admin password";
    private static final int MAX_CONNECTIONS = 40;
    private static final int MAX_MESSAGE = 25 * 1024 * 1024;
    private static final long HEAP_LIMIT = 512L * 1024 * 1024;
    /** Caches that grow with use (H2's page cache, JIT'd lambdas' metadata on heap, metrics' recent events). */
    private static final long RETAINED_SLACK = 32L << 20;
    /**
     * Room for one message of 20 MiB in progress at a time (cmtp.mail-memory; the least it
     * may be with the default largest message of 25 MiB). H2 needs about five times a large
     * message's size while it commits it (it serialises the whole row into one buffer), so
     * on this heap one at a time is what fits.
     */
    private static final int MAIL_MEMORY_MIB = 26;

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static LaunchedServer server;
    private static AdminClient admin;
    private static HeapWatch heap;
    /** Used heap after a full collection once the server was up, before any attack. */
    private static long baselineHeap;
    private static byte[] serverKey;
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = servers.newServer("hostile-load", DOMAIN, PASSWORD)
                .with("CMTP_JAVA_OPTS", "-Xmx512m")
                .with("CMTP_IDLE_TIMEOUT", "4")
                .with("CMTP_MESSAGE_TIMEOUT", "8")
                .with("CMTP_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS))
                // every client here comes from 127.0.0.1: the per-client cap must not be what refuses them
                .with("CMTP_MAX_CONNECTIONS_PER_CLIENT", Integer.toString(MAX_CONNECTIONS))
                .with("CMTP_MAIL_MEMORY", Integer.toString(MAIL_MEMORY_MIB));
        servers.start(server);
        admin = server.admin();
        serverKey = server.serverKey();
        heap = HeapWatch.start(server.http());
        baselineHeap = HeapWatch.usedAfterGc(server.pid(), server.http());
    }

    @AfterAll
    static void checkWhatTheAttacksLeft() throws Exception {
        CLIENTS.shutdownNow();
        if (heap != null) {
            heap.close();
            System.out.printf("HostileLoadIT: server heap peak %d MiB of %d MiB over %d samples%n",
                    heap.peakUsedBytes() >> 20, HEAP_LIMIT >> 20, heap.samples());
            assertTrue(heap.samples() > 10, "the heap was watched all along; last error: " + heap.lastError());
            // The peak under -Xmx is what the JVM guarantees anyway (G1 collects late, ADR 0018): what the
            // server keeps after the attacks is the real bound. Every hostile client is gone, so after a full
            // collection the heap holds what it held before them, give or take what the mail memory allows in
            // flight and caches that grew with the messages stored (H2's page cache is bounded too).
            long after = HeapWatch.usedAfterGc(server.pid(), server.http());
            long bound = baselineHeap + ((long) MAIL_MEMORY_MIB << 20) + RETAINED_SLACK;
            System.out.printf("HostileLoadIT: used heap after a full GC %d MiB before the attacks, %d MiB after;"
                    + " bound %d MiB%n", baselineHeap >> 20, after >> 20, bound >> 20);
            assertTrue(after <= bound, "after the attacks the server still holds " + (after >> 20)
                    + " MiB after a full GC; before them " + (baselineHeap >> 20) + " MiB (bound " + (bound >> 20)
                    + " MiB): memory of hostile sessions is kept");
        }
        if (server != null) {
            assertFalse(server.log().contains("OutOfMemoryError"), "no OutOfMemoryError in the server log");
        }
    }

    @AfterEach
    void aGoodClientIsServedPromptly() throws Exception {
        assertGoodClientServed();
    }

    private static void assertGoodClientServed() throws IOException {
        long start = System.nanoTime();
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.setReadTimeout(2000);
            cmtp.readText();
            assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText());
            Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), serverKey);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2000, "a good client was served in " + millis + " ms");
    }

    @Test
    void aFloodPastTheConnectionLimitIsToldTheServerIsBusy() throws Exception {
        List<RawCmtpConnection> held = new ArrayList<>();
        Thread keeper = new Thread(() -> keepTalking(held), "keeper");
        try {
            holdEveryConnection(held);
            keeper.start(); // the held clients are busy, not idle: the server keeps them
            List<Future<Boolean>> extras = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                extras.add(CLIENTS.submit(() -> {
                    try (RawCmtpConnection extra = server.connect()) {
                        String banner = extra.readText();
                        return banner.toLowerCase().contains("busy") && extra.closedByServerWithin(5000);
                    } catch (IOException refused) {
                        return true; // the backlog overflowed: refused at TCP level is also not served
                    }
                }));
            }
            int busy = 0;
            for (Future<Boolean> extra : extras) {
                busy += extra.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(60, busy, "connections past the limit told the server is busy");
        } finally {
            keeper.interrupt();
            keeper.join();
            for (RawCmtpConnection connection : held) {
                connection.close();
            }
        }
        server.awaitOpenConnections(open -> open == 0, "the server closed the held connections", Duration.ofSeconds(30));
    }

    /** Opens connections up to the limit, each greeted normally (earlier tests' clients may still be closing). */
    private static void holdEveryConnection(List<RawCmtpConnection> held) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (held.size() < MAX_CONNECTIONS) {
            RawCmtpConnection connection = server.connect();
            if (connection.readText().toLowerCase().contains("busy")) {
                connection.close();
                assertTrue(System.nanoTime() < deadline, "the server never had " + MAX_CONNECTIONS + " free slots");
                Thread.sleep(200);
            } else {
                held.add(connection);
            }
        }
    }

    /** A NOOP on every held connection each second, read back, until interrupted. */
    private static void keepTalking(List<RawCmtpConnection> held) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (RawCmtpConnection connection : held) {
                    connection.send("NOOP\0").readText();
                }
                Thread.sleep(1000);
            }
        } catch (IOException | InterruptedException stopped) {
            // the test is over, or a held connection broke: the assertions tell which
        }
    }

    @Test
    void clientsSlowerThanTheTimeoutsAreCutOff() throws Exception {
        byte[] mail = MailBytes.to("nobody", DOMAIN).body(new byte[400]).command();
        List<Future<Long>> slow = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            // inside a MAIL: one byte every 2 s, each inside the idle timeout, the whole past the message timeout
            slow.add(CLIENTS.submit(trickle(Arrays.copyOf(mail, 5), Arrays.copyOfRange(mail, 5, mail.length), 2000)));
            // between commands: one byte every 6 s, past the idle timeout
            slow.add(CLIENTS.submit(trickle(new byte[0], "NOOP\0".getBytes(StandardCharsets.US_ASCII), 6000)));
        }
        server.awaitOpenConnections(open -> open >= 30, "the thirty slow clients connected", Duration.ofSeconds(30));
        assertGoodClientServed(); // while thirty slow clients hang on
        for (Future<Long> client : slow) {
            long seconds = client.get(60, TimeUnit.SECONDS);
            assertTrue(seconds <= 12, "a slow client was cut off after " + seconds + " s");
        }
    }

    /**
     * Sends {@code first} at once, then {@code bytes} one at a time, {@code pauseMillis} apart;
     * seconds from then until the server cut it off.
     */
    private static Callable<Long> trickle(byte[] first, byte[] bytes, long pauseMillis) {
        return () -> {
            long start = System.nanoTime();
            try (RawCmtpConnection client = server.connect()) {
                client.readText();
                client.send(first);
                start = System.nanoTime();
                for (byte b : bytes) {
                    client.send(new byte[] {b});
                    if (client.closedByServerWithin((int) pauseMillis)) {
                        return (System.nanoTime() - start) / 1_000_000_000L;
                    }
                }
            } catch (IOException cut) {
                return (System.nanoTime() - start) / 1_000_000_000L;
            }
            throw new AssertionError("the server never cut off a client sending a byte every " + pauseMillis + " ms");
        };
    }

    @Test
    void clientsThatDeclareHugeLengthsAndStopHoldNoMemory() throws Exception {
        byte[] declaration = MailBytes.concat("MAIL\0".getBytes(StandardCharsets.US_ASCII),
                ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(MAX_MESSAGE - 1000).array(),
                ("bob\0" + DOMAIN + "\0alice\0far.test\0").getBytes(StandardCharsets.UTF_8));
        List<Socket> stalled = new ArrayList<>();
        try {
            // thirty clients announce 25 MiB each (750 MiB in all, more than the heap) and go quiet
            for (int i = 0; i < 30; i++) {
                Socket socket = open();
                socket.getOutputStream().write(declaration);
                socket.getOutputStream().write(new byte[4096]);
                stalled.add(socket);
            }
            server.awaitOpenConnections(open -> open >= 30, "the thirty stalled clients connected",
                    Duration.ofSeconds(30));
            assertGoodClientServed();
            for (Socket socket : stalled) {
                socket.setSoTimeout(15000);
                assertEquals(-1, drain(socket), "a stalled MAIL is cut off at the message timeout");
            }
        } finally {
            closeAll(stalled);
        }
    }

    @Test
    void oneHundredMegabytesOfRandomBytesAreRefusedWithoutBeingKept() throws Exception {
        List<Future<Long>> floods = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long seed = 20261128L + i;
            floods.add(CLIENTS.submit(() -> randomFlood(new byte[0], seed)));
        }
        // one more behind a valid MAIL header: the server buffers one 25 MiB message of noise, then refuses it
        byte[] header = MailBytes.concat("MAIL\0".getBytes(StandardCharsets.US_ASCII),
                ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(MAX_MESSAGE - 1000).array(),
                ("bob\0" + DOMAIN + "\0alice\0far.test\0").getBytes(StandardCharsets.UTF_8));
        floods.add(CLIENTS.submit(() -> randomFlood(header, 7L)));
        for (Future<Long> flood : floods) {
            long sent = flood.get(5, TimeUnit.MINUTES);
            assertTrue(sent < 100L * 1024 * 1024, "the server closed the connection after " + sent + " bytes");
        }
    }

    /** Writes {@code prefix}, then up to 100 MB of random bytes until the server closes; bytes written. */
    private static long randomFlood(byte[] prefix, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(prefix);
            while (written < 100L * 1024 * 1024) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long r = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (r >>> (8 * b));
                    }
                }
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException closedByServer) {
            return written;
        }
        return written;
    }

    @Test
    void manyLargeMessagesAtOnceWaitForMemoryInsteadOfFillingTheHeap() throws Exception {
        admin.createAccount("big", "big mailbox password");
        // ten clients send 20 MiB each at once: 200 MiB of messages, several times what the heap could hold
        // as they arrive; the mail memory lets one in at a time and holds the others back
        List<Future<Boolean>> senders = new ArrayList<>();
        List<MailBytes> mails = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] body = new byte[20 * 1024 * 1024];
            new java.util.Random(i).nextBytes(body);
            MailBytes mail = MailBytes.to("big", DOMAIN).body(body);
            mails.add(mail);
            senders.add(CLIENTS.submit(() -> {
                try (RawCmtpConnection cmtp = server.connect()) {
                    cmtp.setReadTimeout(60_000);
                    cmtp.readText();
                    Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                            serverKey);
                    return true;
                } catch (IOException cutOffAtTheMessageTimeout) {
                    return false;
                }
            }));
        }
        int accepted = 0;
        for (Future<Boolean> sender : senders) {
            accepted += sender.get(3, TimeUnit.MINUTES) ? 1 : 0;
        }
        System.out.printf("HostileLoadIT: %d of 10 messages of 20 MiB sent at once were accepted within the message"
                + " timeout (8 s), the others were cut off waiting for memory%n", accepted);
        assertTrue(accepted >= 1, "none of the messages was accepted");
        assertEquals(accepted, messages("big").size(), "every SUCCESS is stored, nothing else");
        mails.clear(); // 200 MiB of test data
    }

    @Test
    void everyPrefixOfAValidMailFollowedByADisconnectLeavesNothingStored() throws Exception {
        admin.createAccount("prefix", "prefix password");
        byte[] body = new byte[200];
        new java.util.Random(3).nextBytes(body);
        MailBytes mail = MailBytes.to("prefix", DOMAIN).body(body);
        byte[] command = mail.command();
        for (int cut = 0; cut < command.length; cut++) {
            try (Socket socket = open()) {
                socket.getOutputStream().write(command, 0, cut);
            }
        }
        server.awaitOpenConnections(open -> open == 0, "the server closed every cut-off MAIL", Duration.ofSeconds(30));
        assertEquals(0, messages("prefix").size(), "no prefix of " + command.length + " bytes stored anything");
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(command), "SUCCESS", Libsodium.genericHash(64, mail.message()), serverKey);
        }
        JsonArray stored = messages("prefix");
        assertEquals(1, stored.size(), "the whole message, sent after all its prefixes, is stored once");
        byte[] raw = admin.getBytes("/api/accounts/prefix/messages/" + stored.getJsonObject(0).getJsonNumber("id") + "/raw");
        String line = ProtocolIT.appendedLogLine(mail.message(), raw);
        assertArrayEquals(mail.storedWith(line), raw, "stored = sent message + the server's log line");
    }

    @Test
    void addressesThatCouldEscapeTheDataDirectoryAreRefused() throws Exception {
        String[] accounts = {"../../etc/passwd", "..", "a/b", "a\\b", "tab\there", "bell\u0007", "nul"};
        // The accounts a server that cleaned up or split such names would end up with exist, so a MAIL that
        // reached one of them would be stored there (and answered SUCCESS): without them a refusal proves nothing.
        List<String> lookalikes = List.of("passwd", "etc", "a", "b", "tabhere", "tab", "bell");
        for (String account : lookalikes) {
            if (admin.get("/api/accounts/" + account).status() == 404) {
                admin.createAccount(account, "look-alike account password");
            }
        }
        for (String account : accounts) {
            MailBytes mail = MailBytes.to(account, DOMAIN).body(new byte[32]);
            try (RawCmtpConnection cmtp = server.connect()) {
                cmtp.readText();
                byte[] reply = cmtp.send(mail.command()).read(4);
                assertEquals(0, ByteBuffer.wrap(reply).getInt(), "a status for account '" + account + "'");
                String word = cmtp.readText();
                assertFalse(word.startsWith("SUCCESS"), "no SUCCESS for account '" + account + "'");
            }
        }
        byte[] notUtf8 = MailBytes.concat("MAIL\0".getBytes(StandardCharsets.US_ASCII),
                ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(0).array(),
                new byte[] {(byte) 0xC3, 0x28, 0}, (DOMAIN + "\0alice\0far.test\0").getBytes(StandardCharsets.UTF_8),
                MailBytes.ZERO_PROOF_OF_WORK);
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(notUtf8), "FAILURE", new byte[0], serverKey);
        }
        for (String account : lookalikes) {
            assertEquals(0, admin.get("/api/accounts/" + account + "/messages").json().asJsonArray().size(),
                    "nothing reached the existing account " + account);
        }
        // and the look-alikes do take mail: the refusals above were about the names, not the accounts
        MailBytes control = MailBytes.to("passwd", DOMAIN).body(new byte[32]);
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(control.command()), "SUCCESS",
                    org.cmtp.sodium.Libsodium.genericHash(64, control.message()), serverKey);
        }
        assertEquals(1, admin.get("/api/accounts/passwd/messages").json().asJsonArray().size());
        try (var files = Files.walk(server.dataDir())) {
            files.map(path -> path.getFileName().toString()).forEach(name -> {
                assertFalse(name.contains("passwd") || name.chars().anyMatch(c -> c < 0x20),
                        "no file named after a wire string: " + name);
            });
        }
    }

    private static JsonArray messages(String account) throws IOException {
        return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray();
    }

    private static Socket open() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(server.host(), server.cmtpPort()), 5000);
        return socket;
    }

    /** Reads until the server closes; -1 then. */
    private static int drain(Socket socket) throws IOException {
        try {
            byte[] buffer = new byte[4096];
            while (socket.getInputStream().read(buffer) >= 0) {
                // replies, if any
            }
            return -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return 0;
        } catch (IOException reset) {
            return -1;
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a test client
            }
        }
    }
}
