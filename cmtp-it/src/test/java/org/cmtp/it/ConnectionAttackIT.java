package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cmtp.it.support.AdminClient;
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
 * Clients that try to hold the server's connections, its mail memory or its signing key
 * busy (issue 14, items 3, 6, 7), each attack performed over real sockets against the
 * server started as an operator would. After each, a good client is served.
 *
 * <p>Timeouts are scaled down so the whole class runs in about a minute: the write timeout
 * and the mail stall timeout are 2 s, the idle timeout 30 s and the message timeout 120 s,
 * so an attack that is cut off by the new limits is seen well before the old ones (idle,
 * message timeout) could have ended it. Attackers connect from their own loopback addresses
 * (127.0.0.41 to .49); the good client from 127.0.0.1.
 */
class ConnectionAttackIT {

    private static final String DOMAIN = "attack.test";
    private static final String PASSWORD = "connection attack admin password";
    private static final int PER_CLIENT = 4;
    private static final int MESSAGE_BYTES = 600 * 1024;

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static LaunchedServer server;
    private static byte[] serverKey;
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();
    private final List<Socket> opened = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = servers.newServer("connection-attack", DOMAIN, PASSWORD)
                .with("CMTP_WRITE_TIMEOUT", "2")
                .with("CMTP_MAIL_STALL_TIMEOUT", "2")
                .with("CMTP_IDLE_TIMEOUT", "30")
                .with("CMTP_MESSAGE_TIMEOUT", "120")
                .with("CMTP_MAX_CONNECTIONS", "60")
                .with("CMTP_MAX_CONNECTIONS_PER_CLIENT", Integer.toString(PER_CLIENT))
                .with("CMTP_MAX_BAD_COMMANDS", "10")
                // room for one message of up to 700 KiB in progress at a time
                .with("CMTP_MAX_MESSAGE_SIZE", Integer.toString(700 * 1024))
                .with("CMTP_MAIL_MEMORY", "1");
        servers.start(server);
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.readText();
            serverKey = Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), null);
        }
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    @AfterEach
    void aGoodClientIsStillServed() throws Exception {
        for (Socket socket : opened) {
            socket.close();
        }
        assertGoodClientServed();
    }

    private static void assertGoodClientServed() throws IOException {
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.setReadTimeout(3000);
            cmtp.readText();
            assertEquals("O_O\n\0", cmtp.send("NOOP\0").readText());
            Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), serverKey);
        }
    }

    /**
     * Sixteen clients with a tiny receive buffer send HELP thousands of times and never
     * read. Before, each session blocked in its write forever and held its slot; now each
     * is closed at the write timeout, and a good client is served while they try.
     */
    @Test
    void helpFloodersThatNeverReadAreClosedAtTheWriteTimeout() throws Exception {
        List<Future<Boolean>> floods = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(16);
        for (int address = 44; address <= 47; address++) {
            for (int i = 0; i < PER_CLIENT; i++) {
                String from = "127.0.0." + address;
                floods.add(CLIENTS.submit(() -> helpFloodWithoutReading(from, connected)));
            }
        }
        assertTrue(connected.await(30, TimeUnit.SECONDS), "the flooders connected");
        assertGoodClientServed(); // while they flood
        for (Future<Boolean> flood : floods) {
            assertTrue(flood.get(60, TimeUnit.SECONDS), "the server broke the flooding connection");
        }
        server.awaitLog("(cmtp.write-timeout)", 16, Duration.ofSeconds(10));
    }

    /** Sends HELPs until the server breaks the connection (true), reading nothing. */
    private static boolean helpFloodWithoutReading(String from, CountDownLatch connected) {
        byte[] helps = "HELP\0".repeat(4000).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(1024);
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(server.host(), server.cmtpPort()), 5000);
            connected.countDown();
            OutputStream out = socket.getOutputStream();
            while (true) {
                out.write(helps);
            }
        } catch (IOException brokenByServer) {
            return true;
        }
    }

    /** One address holds its limit of connections; the next from it is refused, another address is served. */
    @Test
    void oneAddressCannotTakeMoreThanItsConnections() throws Exception {
        for (int i = 0; i < PER_CLIENT; i++) {
            RawCmtpConnection held = connectFrom("127.0.0.41");
            assertTrue(held.readText().startsWith("Welcome"), "connection " + (i + 1) + " is served");
        }
        RawCmtpConnection oneTooMany = connectFrom("127.0.0.41");
        assertTrue(oneTooMany.readText().startsWith("Too many connections from your address"));
        assertTrue(oneTooMany.closedByServerWithin(5000), "and closed");
        RawCmtpConnection other = connectFrom("127.0.0.42");
        assertTrue(other.readText().startsWith("Welcome"), "another address is still served");
        assertEquals("O_O\n\0", other.send("NOOP\0").readText());
    }

    /** A lone NUL every 3 s used to keep a connection open forever; now it is closed at the idle timeout. */
    @Test
    void emptyCommandsDoNotKeepAConnectionOpen() throws Exception {
        RawCmtpConnection client = connectFrom("127.0.0.43");
        client.readText();
        boolean closed = false;
        for (int i = 0; i < 25 && !closed; i++) { // 75 s: more than twice the idle timeout
            try {
                client.send("\0");
            } catch (IOException reset) {
                closed = true;
                break;
            }
            closed = client.closedByServerWithin(3000);
        }
        assertTrue(closed, "closed at the idle timeout although it sent a NUL every 3 s");
    }

    /**
     * A MAIL that stops sending after 500 KiB holds most of the 1 MiB mail memory; a second
     * MAIL of 600 KiB does not fit beside it. Before, the second waited until the first's
     * idle timeout (30 s here, 5 minutes by default); now the first gives its memory back at
     * the stall timeout and the second is taken.
     */
    @Test
    void aStalledMailGivesItsMemoryBackAndIsClosed() throws Exception {
        AdminClient admin = server.admin();
        admin.createAccount("stall", "stalled mailbox password");
        MailBytes mail = MailBytes.to("stall", DOMAIN).body(new byte[MESSAGE_BYTES]);
        byte[] command = mail.command();

        RawCmtpConnection stalled = connectFrom("127.0.0.48");
        stalled.readText();
        stalled.send(Arrays.copyOf(command, 500 * 1024)); // and then nothing
        long stalledFrom = System.nanoTime(); // the stall timeout runs from a moment after this
        // Only so that the stalled MAIL takes its memory first (the server reads bytes in flight
        // within milliseconds); the timing check below fails the test if it did not.
        Thread.sleep(500);

        RawCmtpConnection second = connectFrom("127.0.0.48");
        second.setReadTimeout(20_000); // under the idle timeout, which alone freed the memory before
        second.readText();
        CLIENTS.submit(() -> second.send(command));
        Replies.expectStatus(second, "SUCCESS", Libsodium.genericHash(64, mail.message()), serverKey);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledFrom);
        assertTrue(waitedMillis >= 2000, "the second MAIL waited for the stalled one's memory (answered after "
                + waitedMillis + " ms, before the 2-s stall timeout could have freed it)");
        assertTrue(stalled.closedByServerWithin(20_000), "the stalled MAIL was closed before the idle timeout");
        server.awaitLog("(cmtp.mail-stall-timeout)", 1, Duration.ofSeconds(10));
    }

    /**
     * Bad commands with valid ones between them: before, each valid command reset the count
     * and the client could go on forever; now the tenth bad command of the connection closes
     * it. The kept replies (the server key, the FAILURE) are still correctly signed.
     */
    @Test
    void badCommandsAreCountedOverTheWholeConnection() throws Exception {
        RawCmtpConnection client = connectFrom("127.0.0.49");
        client.readText();
        for (int i = 1; i <= 10; i++) {
            Replies.expectStatus(client.send("BAD" + i + "\0"), "FAILURE", new byte[0], serverKey);
            if (i < 10) {
                assertEquals("O_O\n\0", client.send("NOOP\0").readText());
                assertEquals(Arrays.toString(serverKey),
                        Arrays.toString(Replies.expectKey(client.send("KEYREQUEST\0\0"), serverKey)));
                expectBoundServerKey(client.send("KEYBIND\0\0"));
            }
        }
        assertTrue(client.closedByServerWithin(5000), "closed after the tenth bad command");
    }

    /** PROTOCOL.md §4a: {@code u32 2 ‖ key ‖ \0 ‖ signature over "CMTP-KEYBIND-1\0" ‖ "\0" ‖ "\0" ‖ key ‖ \0}. */
    private static void expectBoundServerKey(RawCmtpConnection connection) throws IOException {
        byte[] reply = connection.read(102);
        assertEquals(2, ByteBuffer.wrap(reply).getInt(), "version 2: an address-bound key reply");
        byte[] key = Arrays.copyOfRange(reply, 4, 36);
        assertEquals(Arrays.toString(serverKey), Arrays.toString(key));
        byte[] signed = MailBytes.concat("CMTP-KEYBIND-1\0\0\0".getBytes(StandardCharsets.US_ASCII), key);
        assertTrue(Libsodium.verifyDetached(Arrays.copyOfRange(reply, 37, 101), signed, serverKey),
                "libsodium verifies the bound signature");
    }

    private RawCmtpConnection connectFrom(String address) throws IOException {
        Socket socket = new Socket();
        opened.add(socket);
        socket.bind(new InetSocketAddress(address, 0));
        socket.connect(new InetSocketAddress(server.host(), server.cmtpPort()), 5000);
        return new RawCmtpConnection(socket);
    }
}
