package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.HostileRemoteServer.Behaviour;
import org.cmtp.it.support.HostileRemoteServer;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.server.dns.LoopbackDnsServer;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on federation from the network, each performed against a running server over
 * real sockets (issue 14, items 2 and 4). alpha.test (127.0.0.51) is attacked; beta.test
 * (127.0.0.52) is a well-behaved other domain. Everything listens on loopback, on one port chosen per run (FreePorts):
 * the MX records of a real DNS server on loopback point there.
 *
 * <ul>
 * <li>mirror.test's MX is alpha itself, twin.test's a relay (127.0.0.53) back to alpha;</li>
 * <li>inside.test's MX is 127.0.0.59, loopback outside {@code cmtp.dial-networks}: it stands
 *     for 10.x or 169.254.169.254, which no test may send a packet to;</li>
 * <li>pow.test, trickle.test and deaf.test are scripted hostile servers, routed to with
 *     {@code cmtp.routes}.</li>
 * </ul>
 *
 * <p>In order: the rate-limit test counts DNS queries, so it runs while nothing is queued.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationAttackIT {

    /** Ports of this run (FreePorts). */
    private static final int DNS_PORT = FreePorts.take();
    /** The one CMTP port of every address here, which the MX records point to (CMTP_MX_PORT). */
    private static final int CMTP = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String ALPHA = "127.0.0.51";
    private static final String BETA = "127.0.0.52";
    private static final String TWIN_RELAY = "127.0.0.53";
    private static final String RATE_CLIENT = "127.0.0.54";
    private static final String POW = "127.0.0.55";
    private static final String TRICKLE = "127.0.0.56";
    private static final String DEAF = "127.0.0.57";
    private static final String FORBIDDEN = "127.0.0.59";
    private static final int FOREIGN_KEY_RATE = 5;

    private static final String ZONE = """
            $TTL 60
            @ IN SOA ns.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
            @ IN NS ns.%1$s.
            @ IN MX 10 mx.%1$s.
            ns IN A 127.0.0.1
            mx IN A %2$s
            """;

    private static LoopbackDnsServer dns;
    private static LaunchedServer alpha;
    private static LaunchedServer beta;
    private static AdminClient alphaAdmin;
    private static AdminClient betaAdmin;
    private static byte[] alphaKey;

    @BeforeAll
    static void startDomains() throws Exception {
        dns = servers.manage(LoopbackDnsServer.start(DNS_PORT,
                LoopbackDnsServer.zone("alpha.test.", ZONE.formatted("alpha.test", ALPHA)),
                LoopbackDnsServer.zone("beta.test.", ZONE.formatted("beta.test", BETA)),
                LoopbackDnsServer.zone("mirror.test.", ZONE.formatted("mirror.test", ALPHA)),
                LoopbackDnsServer.zone("twin.test.", ZONE.formatted("twin.test", TWIN_RELAY)),
                LoopbackDnsServer.zone("inside.test.", ZONE.formatted("inside.test", FORBIDDEN))));
        alpha = domain("alpha.test", ALPHA)
                .with("CMTP_ROUTES", "pow.test=" + POW + ":" + CMTP + ",trickle.test=" + TRICKLE + ":" + CMTP
                        + ",deaf.test=" + DEAF + ":" + CMTP);
        beta = domain("beta.test", BETA);
        servers.start(alpha, beta);
        alphaAdmin = alpha.admin();
        betaAdmin = beta.admin();
        alphaKey = alpha.serverKey();
    }

    private static LaunchedServer domain(String name, String address) throws IOException {
        return servers.newServer("attack-" + name, address, CMTP, name, "pw-attack-" + name.substring(0, name.indexOf('.')))
                .with("CMTP_DNS_SERVERS", dns.hostAndPort())
                .with("CMTP_MX_PORT", Integer.toString(CMTP))
                // Loopback may be dialled here as if it were the internet, alpha's own address
                // included: its own listener must be refused all the same. 127.0.0.59 is not listed.
                .with("CMTP_DIAL_NETWORKS", ALPHA + "/32," + BETA + "/32," + TWIN_RELAY + "/32")
                .with("CMTP_DELIVERY_DEADLINE", "5")
                .with("CMTP_RETRY_INITIAL", "60")
                .with("CMTP_RETRY_MAX", "120")
                .with("CMTP_KEY_CACHE_TTL", "1")
                .with("CMTP_FOREIGN_KEY_RATE", Integer.toString(FOREIGN_KEY_RATE));
    }

    // ---- item 2: key relay cannot be turned against us ------------------------------------

    /**
     * {@code alpha.test.}, {@code alpha.test。} and {@code ALPHA．test} are alpha's own domain.
     * Before, they were "foreign": relayed to alpha's own MX, i.e. to alpha, which relayed again,
     * until every connection slot was taken.
     */
    @Test
    @Order(2)
    void ourOwnDomainSpelledWithAFinalDotOrAUnicodeFullStopIsAnsweredHereWithoutAnyConnection() throws Exception {
        byte[] carolKey = HexFormat.of().parseHex(alphaAdmin.createAccount("carol", "carol's long password")
                .getString("publicKey"));
        for (String spelling : List.of("alpha.test.", "alpha.test\u3002", "ALPHA\uFF0Etest", "alpha\uFF61test\uFF61")) {
            try (RawCmtpConnection cmtp = alpha.connect()) {
                cmtp.readText();
                assertArrayEquals(carolKey, Replies.expectKey(cmtp.send("KEYREQUEST\0carol\0" + spelling + "\0"), alphaKey),
                        "carol@" + spelling + " is carol of this server");
                Replies.expectStatus(cmtp.send("KEYREQUEST\0nobody\0" + spelling + "\0"), "KEYNOTAVAILABLE", new byte[0],
                        alphaKey);
            }
        }
        assertNoPin("alpha.test");
        assertResponsive(alpha);
    }

    /** mirror.test's MX is alpha's own listener: never dialled, although loopback may be. */
    @Test
    @Order(3)
    void anMxPointingAtOurOwnListenerIsNotDialled() throws Exception {
        try (RawCmtpConnection cmtp = alpha.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send("KEYREQUEST\0bob\0mirror.test\0"), "KEYNOTAVAILABLE", new byte[0], alphaKey);
        }
        assertNoPin("mirror.test");
        alpha.awaitLog("is this server's own CMTP listener", 1, Duration.ofSeconds(10));
        assertResponsive(alpha);
    }

    /**
     * twin.test's MX (127.0.0.53) passes connections on to alpha: a "remote" server that
     * presents alpha's own key. That is a loop: KEYNOTAVAILABLE after one connection, no pin.
     */
    @Test
    @Order(4)
    void aRemoteServerPresentingOurOwnKeyIsALoopAndAnsweredKeyNotAvailable() throws Exception {
        TcpRelay twin = servers.manage(TcpRelay.start(TWIN_RELAY, CMTP, ALPHA, CMTP));
        try (RawCmtpConnection cmtp = alpha.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send("KEYREQUEST\0bob\0twin.test\0"), "KEYNOTAVAILABLE", new byte[0], alphaKey);
        }
        assertEquals(1, twin.connections(), "one connection to find the loop, not one per level of recursion");
        assertNoPin("twin.test");
        assertResponsive(alpha);
    }

    /**
     * inside.test's MX is a loopback address outside cmtp.dial-networks, standing in for an
     * internal service or a cloud metadata address: neither a key request nor a delivery
     * connects there.
     */
    @Test
    @Order(5)
    void anMxPointingAtAForbiddenAddressIsNeverDialled() throws Exception {
        CountingListener inside = servers.manage(CountingListener.start(FORBIDDEN, CMTP));
        try (RawCmtpConnection cmtp = alpha.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send("KEYREQUEST\0bob\0inside.test\0"), "KEYNOTAVAILABLE", new byte[0], alphaKey);
        }
        sendThroughAlpha(MailBytes.to("bob", "inside.test").from("tester", "alpha.test").body(new byte[80]));
        JsonObject queued = awaitFailedAttempt("inside.test");
        assertTrue(queued.getString("lastError").contains("not dialled")
                && queued.getString("lastError").contains("loopback"), queued.toString());
        assertEquals(0, inside.connections(), "nothing connected to " + FORBIDDEN);
        assertNoPin("inside.test");
    }

    /**
     * Key requests for other domains cost a DNS lookup and a connection each: one client
     * address gets cmtp.foreign-key-rate of them a minute; the rest are answered without a
     * lookup. Another client is not held back.
     */
    @Test
    @Order(1)
    void foreignKeyRequestsAreLimitedPerClientAddress() throws Exception {
        int before = dns.queryCount();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(RATE_CLIENT), 0));
            socket.connect(new InetSocketAddress(ALPHA, CMTP), 5000);
            RawCmtpConnection cmtp = new RawCmtpConnection(socket);
            cmtp.readText();
            for (int i = 0; i < FOREIGN_KEY_RATE * 3; i++) {
                Replies.expectStatus(cmtp.send("KEYREQUEST\0x\0d" + i + ".nowhere.test\0"), "KEYNOTAVAILABLE",
                        new byte[0], alphaKey);
                if (i == FOREIGN_KEY_RATE - 1) {
                    assertTrue(dns.queryCount() > before, "the first requests were looked up");
                    before = dns.queryCount();
                }
            }
            assertEquals(before, dns.queryCount(), "requests over the rate cost no DNS lookup");
            // its own server's keys are not limited
            Replies.expectKey(cmtp.send("KEYREQUEST\0\0"), alphaKey);
        }
        try (RawCmtpConnection other = alpha.connect()) { // 127.0.0.1 has its own budget
            other.readText();
            Replies.expectStatus(other.send("KEYREQUEST\0x\0elsewhere.nowhere.test\0"), "KEYNOTAVAILABLE", new byte[0],
                    alphaKey);
        }
        assertTrue(dns.queryCount() > before, "another client's request was looked up");
    }

    // ---- item 4: a remote server cannot stop our relay ------------------------------------

    /**
     * Three domains whose servers hang a relay for ever (POW 512; a banner trickled a byte
     * every 2 s; a server that never reads an 8 MB message) and one good domain, queued at the
     * same time, hostile ones first: the good one is delivered meanwhile, and each hostile one
     * is a failed attempt with the cause and a later next attempt in the queue.
     */
    @Test
    @Order(6)
    void hostileRemoteServersCannotStopTheRelayNorDelayAGoodDomain() throws Exception {
        HostileRemoteServer pow = servers.manage(HostileRemoteServer.start(Behaviour.POW_512, POW, CMTP));
        HostileRemoteServer trickle = servers.manage(HostileRemoteServer.start(Behaviour.TRICKLE, TRICKLE, CMTP));
        HostileRemoteServer deaf = servers.manage(HostileRemoteServer.start(Behaviour.ZERO_WINDOW, DEAF, CMTP));
        betaAdmin.createAccount("bob", "bob's long password");
        byte[] large = new byte[8 * 1024 * 1024]; // far more than the socket buffers hold
        new Random(1).nextBytes(large);

        Instant queued = Instant.now();
        sendThroughAlpha(MailBytes.to("x", "pow.test").from("tester", "alpha.test").body(new byte[80]));
        sendThroughAlpha(MailBytes.to("x", "trickle.test").from("tester", "alpha.test").body(new byte[80]));
        sendThroughAlpha(MailBytes.to("x", "deaf.test").from("tester", "alpha.test").body(large));
        sendThroughAlpha(MailBytes.to("bob", "beta.test").from("tester", "alpha.test").body(new byte[80]));

        Await.until(() -> messageCount(betaAdmin, "bob") == 1, Duration.ofSeconds(60),
                "bob@beta.test served while the hostile domains hang");

        JsonObject powQueued = awaitFailedAttempt("pow.test");
        assertTrue(powQueued.getString("lastError").contains("512 bits")
                && powQueued.getString("lastError").contains("cmtp.relay-max-pow"), powQueued.toString());
        assertTrue(pow.commands().contains("OHAI") && !pow.commands().contains("MAIL"),
                "asked for its capabilities, sent no MAIL: " + pow.commands());

        JsonObject trickleQueued = awaitFailedAttempt("trickle.test");
        assertTrue(trickleQueued.getString("lastError").contains("cmtp.delivery-deadline"), trickleQueued.toString());
        assertTrue(trickle.connections() >= 1);

        JsonObject deafQueued = awaitFailedAttempt("deaf.test");
        assertTrue(deafQueued.getString("lastError").contains("cmtp.delivery-deadline"), deafQueued.toString());
        assertTrue(deaf.commands().contains("MAIL"), "the MAIL was begun: " + deaf.commands());

        for (JsonObject failed : List.of(powQueued, trickleQueued, deafQueued)) {
            assertTrue(Instant.parse(failed.getString("nextAttempt")).isAfter(queued.plusSeconds(30)),
                    "retried later, with backoff: " + failed);
        }
        assertResponsive(alpha);
    }

    /** Every domain anyone asks about may get a pin: the admin API hands them out a page at a time. */
    @Test
    @Order(7)
    void theKnownServersAreListedAPageAtATime() throws Exception {
        AdminClient.Reply first = alphaAdmin.get("/api/known-servers?offset=0&limit=1");
        assertEquals(200, first.status(), first.body());
        int total = Integer.parseInt(first.header("X-Total-Count"));
        assertTrue(total >= 2, "beta.test and the hostile servers that presented a key are pinned: " + total);
        assertEquals(1, first.json().asJsonArray().size());
        AdminClient.Reply second = alphaAdmin.get("/api/known-servers?offset=1&limit=1");
        assertTrue(second.json().asJsonArray().getJsonObject(0).getString("domain")
                .compareTo(first.json().asJsonArray().getJsonObject(0).getString("domain")) > 0, "by domain, page by page");
        assertEquals(total, alphaAdmin.get("/api/known-servers").json().asJsonArray().size(), "the default page holds all");
        assertEquals(400, alphaAdmin.get("/api/known-servers?limit=1001").status(), "a page has at most 1000");
        assertEquals(400, alphaAdmin.get("/api/known-servers?offset=-1").status());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static void sendThroughAlpha(MailBytes mail) throws IOException {
        try (RawCmtpConnection cmtp = alpha.connect()) {
            cmtp.setReadTimeout(60_000);
            cmtp.readText();
            Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()), alphaKey);
        }
    }

    /** Waits for the queued message for {@code domain} to have failed an attempt; returns it. */
    private static JsonObject awaitFailedAttempt(String domain) throws Exception {
        Await.until(() -> {
            JsonObject queued = queued(domain);
            return queued != null && queued.getInt("attempts") >= 1 && queued.getString("lastError", null) != null;
        }, Duration.ofSeconds(60), "a failed attempt for " + domain + " in alpha's queue");
        return queued(domain);
    }

    private static JsonObject queued(String domain) {
        try {
            JsonArray queue = alphaAdmin.get("/api/queue?domain=" + URLEncoder.encode(domain, StandardCharsets.UTF_8))
                    .json().asJsonArray();
            return queue.isEmpty() ? null : queue.getJsonObject(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int messageCount(AdminClient admin, String account) {
        try {
            return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void assertNoPin(String domain) throws IOException {
        AdminClient.Reply pins = alphaAdmin.get("/api/known-servers?offset=0&limit=1000");
        for (JsonObject pin : pins.json().asJsonArray().getValuesAs(JsonObject.class)) {
            assertTrue(!pin.getString("domain").startsWith(domain.substring(0, domain.indexOf('.'))),
                    "no pin for any spelling of " + domain + ": " + pins.body());
        }
    }

    /** A fresh connection is greeted and a NOOP answered at once. */
    private static void assertResponsive(LaunchedServer server) throws IOException {
        try (RawCmtpConnection cmtp = server.connect()) {
            cmtp.setReadTimeout(5000);
            cmtp.readText();
            cmtp.send("NOOP\0").readText();
        }
    }

    /** Accepts connections and counts them; sends nothing. */
    private static final class CountingListener implements AutoCloseable {
        private final ServerSocket listener;
        private final AtomicInteger connections = new AtomicInteger();

        private CountingListener(ServerSocket listener) {
            this.listener = listener;
            Thread thread = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket accepted = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "counting-listener");
            thread.setDaemon(true);
            thread.start();
        }

        static CountingListener start(String host, int port) throws IOException {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return new CountingListener(listener);
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    /** Passes every connection on to another address, both ways, and counts them. */
    private static final class TcpRelay implements AutoCloseable {
        private final ServerSocket listener;
        private final InetSocketAddress target;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        private TcpRelay(ServerSocket listener, InetSocketAddress target) {
            this.listener = listener;
            this.target = target;
            Thread thread = new Thread(this::accept, "tcp-relay");
            thread.setDaemon(true);
            thread.start();
        }

        static TcpRelay start(String host, int port, String targetHost, int targetPort) throws IOException {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return new TcpRelay(listener, new InetSocketAddress(InetAddress.getByName(targetHost), targetPort));
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    connections.incrementAndGet();
                    Socket server = new Socket();
                    server.connect(target, 5000);
                    open.addAll(List.of(client, server));
                    pipe(client, server);
                    pipe(server, client);
                } catch (IOException e) {
                    // closed
                }
            }
        }

        private void pipe(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        to.close();
                        from.close();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "tcp-relay-pipe");
            thread.setDaemon(true);
            thread.start();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : open) {
                socket.close();
            }
        }
    }
}
