package org.cmtp.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.net.ServerSocketFactory;

import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.ra.api.CmtpRequestListener;
import org.cmtp.ra.api.MailOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.cmtp.ra.api.CmtpPorts;

/**
 * The listener against clients that try to hold its connections, its memory or its
 * signing key busy, on real sockets: each attack is cut off and a good client is served.
 */
class CmtpPortTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Calls of the endpoint, by method name. */
    private final Map<String, AtomicInteger> endpointCalls = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new ArrayList<>();
    private CmtpPort listener;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (listener != null) {
            listener.close();
        }
        threads.shutdownNow();
    }

    @Test
    void clientsThatFloodCommandsAndNeverReadAreClosedAtTheWriteTimeout() throws Exception {
        int port = listen(spec -> spec.setWriteTimeoutSeconds(1));
        List<Future<?>> floods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            floods.add(threads.submit(helpFloodWithoutReading(port)));
        }
        awaitTrue(() -> listener.openConnections() == 4, "the four flooders are connected");
        assertGoodClientServed(port);
        for (Future<?> flood : floods) {
            flood.get(20, TimeUnit.SECONDS); // returns once the server broke the connection
        }
        awaitTrue(() -> listener.openConnections() == 0, "every flooder's slot given back");
        assertGoodClientServed(port);
    }

    /** Sends HELP until the server breaks the connection, reading nothing, with a tiny receive buffer. */
    private Runnable helpFloodWithoutReading(int port) {
        return () -> {
            byte[] helps = "HELP\0".repeat(2000).getBytes(StandardCharsets.US_ASCII);
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(1024);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                OutputStream out = socket.getOutputStream();
                while (true) {
                    out.write(helps);
                }
            } catch (IOException closedByServer) {
                // what the test waits for
            }
        };
    }

    @Test
    void oneClientAddressCannotHoldMoreThanItsConnections() throws Exception {
        int port = listen(spec -> spec.setMaxConnectionsPerClient(2));
        for (int i = 0; i < 2; i++) {
            assertTrue(banner(connectFrom("127.0.0.41", port)).startsWith("Welcome"));
        }
        Socket third = connectFrom("127.0.0.41", port);
        assertEquals("Too many connections from your address, try again later\n", banner(third));
        assertEquals(-1, third.getInputStream().read(), "and closed");
        Socket other = connectFrom("127.0.0.42", port);
        assertTrue(banner(other).startsWith("Welcome"), "another address is still served");
        sockets.get(0).close();
        awaitTrue(() -> listener.openConnections() == 2, "the server saw the close");
        assertTrue(banner(connectFrom("127.0.0.41", port)).startsWith("Welcome"), "a slot given back is usable again");
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        String a = ConnectionsPerClient.clientOf(InetAddress.getByName("2001:db8:1:2::1"));
        String b = ConnectionsPerClient.clientOf(InetAddress.getByName("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        String c = ConnectionsPerClient.clientOf(InetAddress.getByName("2001:db8:1:3::1"));
        assertEquals(a, b, "one /64");
        assertNotEquals(a, c);
        assertEquals("2001:db8:1:2::/64", a);
        assertEquals("192.0.2.7", ConnectionsPerClient.clientOf(InetAddress.getByName("192.0.2.7")));
        assertEquals("192.0.2.7", ConnectionsPerClient.clientOf(InetAddress.getByName("::ffff:192.0.2.7")),
                "an IPv4-mapped address is the IPv4 client");
    }

    @Test
    void emptyCommandsDoNotKeepAConnectionOpen() throws Exception {
        int port = listen(spec -> spec.setIdleTimeoutSeconds(1));
        Socket socket = connectFrom("127.0.0.1", port);
        banner(socket);
        Future<Boolean> closed = threads.submit(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    socket.getOutputStream().write(0);
                    Thread.sleep(200);
                }
                return false;
            } catch (IOException e) {
                return true;
            }
        });
        socket.setSoTimeout(8000);
        assertEquals(-1, socket.getInputStream().read(), "closed at the idle timeout despite a NUL every 200 ms");
        closed.cancel(true);
    }

    @Test
    void badCommandsAreCountedOverTheConnectionsLifeAndLoggedOnceAtInfo() throws Exception {
        int port = listen(spec -> spec.setMaxBadCommands(3));
        List<LogRecord> records = new ArrayList<>();
        Handler handler = recordingHandler(records);
        Logger sessionLog = Logger.getLogger(CmtpSession.class.getName());
        sessionLog.addHandler(handler);
        try {
            Socket socket = connectFrom("127.0.0.1", port);
            banner(socket);
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write(("BAD" + i + "\0NOOP\0").getBytes(StandardCharsets.US_ASCII));
                assertEquals("FAILURE", statusWord(in));
                if (i < 2) {
                    assertEquals("O_O\n", text(in), "a valid command in between is answered");
                }
            }
            assertEquals(-1, in.read(), "closed after the third bad command, NOOPs in between notwithstanding");
        } finally {
            sessionLog.removeHandler(handler);
        }
        long infoRefusals = records.stream()
                .filter(r -> r.getLevel() == Level.INFO && r.getMessage().contains("refused a command")).count();
        assertEquals(1, infoRefusals, "one refusal at INFO per connection");
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.INFO && r.getMessage().contains("after 3 bad")));
    }

    @Test
    void theServerKeyAndTheRefusalAreSignedOnceForAllConnections() throws Exception {
        int port = listen(spec -> { });
        for (int connection = 0; connection < 2; connection++) {
            Socket socket = connectFrom("127.0.0.1", port);
            banner(socket);
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write("KEYREQUEST\0\0KEYBIND\0\0NOPE\0".getBytes(StandardCharsets.US_ASCII));
                assertEquals(1, ByteBuffer.wrap(in.readNBytes(102)).getInt(), "a key reply");
                assertEquals(2, ByteBuffer.wrap(in.readNBytes(102)).getInt(), "a bound key reply");
                assertEquals("FAILURE", statusWord(in));
            }
            socket.getOutputStream().write("KEYREQUEST\0bob\0here.test\0".getBytes(StandardCharsets.US_ASCII));
            assertEquals(1, ByteBuffer.wrap(in.readNBytes(102)).getInt());
        }
        assertEquals(1, calls("keyBind"), "KEYBIND\\0\\0 asked of the endpoint once");
        assertEquals(1, calls("status"), "the FAILURE to a bad command signed once");
        assertEquals(3, calls("keyRequest"), "the server key once, each user's key every time");
    }

    @Test
    void theAcceptLoopSurvivesRunningOutOfFileDescriptors() throws Exception {
        AtomicBoolean outOfFiles = new AtomicBoolean(true);
        ServerSocketFactory failing = new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new ServerSocket() {
                    @Override
                    public Socket accept() throws IOException {
                        if (outOfFiles.get()) {
                            throw new SocketException("Too many open files");
                        }
                        return super.accept();
                    }
                };
            }

            @Override
            public ServerSocket createServerSocket(int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
                throw new UnsupportedOperationException();
            }
        };
        int port = listen(spec -> { }, failing);
        awaitTrue(() -> CmtpPorts.acceptProblem().isPresent(), "the failure is reported");
        assertTrue(CmtpPorts.acceptProblem().get().contains("Too many open files"),
                CmtpPorts.acceptProblem().get());
        Socket waiting = connectFrom("127.0.0.1", port); // completed by the kernel, into the backlog
        Thread.sleep(300);
        outOfFiles.set(false);
        assertTrue(banner(waiting).startsWith("Welcome"), "served once accepting works again");
        awaitTrue(() -> CmtpPorts.acceptProblem().isEmpty(), "the failure is over");
    }

    @Test
    void aStalledMailGivesItsMemoryBackBeforeTheMessageTimeout() throws Exception {
        int port = listen(spec -> {
            spec.setMaxMessageSize(700 * 1024);
            spec.setMailMemoryMiB(1);
            spec.setMailStallTimeoutSeconds(1);
            spec.setMessageTimeoutSeconds(60);
            spec.setIdleTimeoutSeconds(60);
        });
        byte[] mail = mail(600 * 1024);
        Socket stalled = connectFrom("127.0.0.1", port);
        banner(stalled);
        stalled.getOutputStream().write(mail, 0, 500 * 1024); // and then nothing
        awaitTrue(() -> listener.messageMemoryAvailableBytes() < 512 * 1024, "the stalled MAIL holds memory");
        Socket second = connectFrom("127.0.0.1", port);
        banner(second);
        threads.submit(() -> {
            second.getOutputStream().write(mail);
            return null;
        });
        second.setSoTimeout(20_000);
        assertEquals("SUCCESS", statusWord(second.getInputStream()), "the second MAIL got the memory");
        stalled.setSoTimeout(20_000);
        assertEquals(-1, drain(stalled.getInputStream()), "the stalled one was closed");
    }

    /** A MAIL command with a body of {@code bodyBytes}, and its proof of work. */
    private static byte[] mail(int bodyBytes) {
        ByteArrayOutputStream mail = new ByteArrayOutputStream();
        mail.writeBytes("MAIL\0".getBytes(StandardCharsets.US_ASCII));
        mail.writeBytes(ByteBuffer.allocate(24).putInt(1).putInt(0).putLong(0).putLong(bodyBytes).array());
        mail.writeBytes("bob\0here.test\0alice\0there.test\0".getBytes(StandardCharsets.US_ASCII));
        mail.writeBytes(new byte[bodyBytes]);
        mail.writeBytes(new byte[64]);
        return mail.toByteArray();
    }

    private int listen(Consumer<CmtpPortActivationSpec> settings) throws Exception {
        return listen(settings, ServerSocketFactory.getDefault());
    }

    private int listen(Consumer<CmtpPortActivationSpec> settings, ServerSocketFactory serverSockets) throws Exception {
        CmtpPortActivationSpec spec = new CmtpPortActivationSpec();
        spec.setBindAddress("127.0.0.1");
        spec.setPort(0);
        settings.accept(spec);
        spec.validate();
        listener = new CmtpPort(spec, endpointFactory(), new ExecutorWorkManager(threads), delivered -> { },
                serverSockets);
        listener.open();
        return Integer.parseInt(listener.describe().replaceFirst(".*:", ""));
    }

    /** The server's MDB, answering at once, counting its calls. */
    private MessageEndpointFactory endpointFactory() {
        Object endpoint = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpoint.class, CmtpRequestListener.class}, (proxy, method, args) -> {
                    endpointCalls.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
                    return switch (method.getName()) {
                        case "keyRequest" -> new KeyReply(new byte[32], new byte[64]);
                        case "keyBind" -> KeyReply.bound(new byte[32], new byte[64]);
                        case "mail" -> MailOutcome.reply(new SignedStatus(StatusWord.SUCCESS, new byte[64]));
                        case "status" -> new SignedStatus((StatusWord) args[0], new byte[64]);
                        default -> null;
                    };
                });
        return (MessageEndpointFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageEndpointFactory.class}, (proxy, method, args) ->
                        method.getName().equals("createEndpoint") ? endpoint : null);
    }

    private int calls(String method) {
        AtomicInteger count = endpointCalls.get(method);
        return count == null ? 0 : count.get();
    }

    private Socket connectFrom(String address, int port) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(address, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A good client: greeted, NOOP answered at once. */
    private void assertGoodClientServed(int port) throws IOException {
        try (Socket socket = connectFrom("127.0.0.1", port)) {
            socket.setSoTimeout(3000);
            assertTrue(banner(socket).startsWith("Welcome"));
            socket.getOutputStream().write("NOOP\0".getBytes(StandardCharsets.US_ASCII));
            assertEquals("O_O\n", text(socket.getInputStream()));
        }
    }

    private static String banner(Socket socket) throws IOException {
        return text(socket.getInputStream());
    }

    /** A text reply without its NUL. */
    private static String text(InputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int b = in.read(); b > 0; b = in.read()) {
            text.write(b);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /** The word of a signed status reply; reads the whole reply. */
    private static String statusWord(InputStream in) throws IOException {
        assertArrayEquals(new byte[4], in.readNBytes(4), "crypto version 0 of a status");
        String word = text(in);
        in.readNBytes(65);
        return word;
    }

    /** Reads until the server closes; -1 then (a reset counts as closed). */
    private static int drain(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // what was in flight
            }
            return -1;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            return -1;
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Handler recordingHandler(List<LogRecord> records) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
