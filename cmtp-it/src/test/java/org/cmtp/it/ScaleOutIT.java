package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonArray;
import jakarta.json.JsonValue;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PostgresDatabases;
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
 * One domain on two instances: alpha.test on 127.0.0.6 and 127.0.0.7 (both MX hosts of
 * alpha.test), started together on one empty PostgreSQL database, always PostgreSQL,
 * also in the H2 pass, since H2 cannot be shared. beta.test on 127.0.0.8 receives what
 * alpha relays. Both alpha instances take mail; their relay workers drain one queue
 * without sending a message twice; one instance killed mid-drain leaves the other to
 * finish.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    /** Ports of this run (FreePorts). */
    private static final int DNS_PORT = FreePorts.take();

    private static final String ALPHA_ZONE = """
            $TTL 60
            @ IN SOA ns.alpha.test. hostmaster.alpha.test. 1 3600 600 86400 60
            @ IN NS ns.alpha.test.
            @ IN MX 10 mx1.alpha.test.
            @ IN MX 10 mx2.alpha.test.
            ns IN A 127.0.0.1
            mx1 IN A 127.0.0.6
            mx2 IN A 127.0.0.7
            """;
    private static final String BETA_ZONE = """
            $TTL 60
            @ IN SOA ns.beta.test. hostmaster.beta.test. 1 3600 600 86400 60
            @ IN NS ns.beta.test.
            @ IN MX 10 mx.beta.test.
            ns IN A 127.0.0.1
            mx IN A 127.0.0.8
            """;
    /** Messages queued per round: two batches of the worker's 20, so both workers get some. */
    /** Every instance's CMTP port, which the MX records lead to: not 9001, which an operator's server may hold. */
    private static final int CMTP_PORT = FreePorts.take();
    private static final int ROUND = 40;
    /** Seconds of a relay lease: short, so the killed instance's claims come free soon. */
    private static final int LEASE = 10;
    private static final Pattern WORKER = Pattern.compile("CMTP relay worker (\\S+) \\(lease");
    private static final SecureRandom RANDOM = new SecureRandom();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static LoopbackDnsServer dns;
    private static String alphaDatabase;
    private static Connection database;
    private static LaunchedServer alpha1;
    private static LaunchedServer alpha2;
    private static LaunchedServer beta;
    private static AdminClient alpha1Admin;
    private static AdminClient alpha2Admin;
    private static AdminClient betaAdmin;
    private static byte[] alphaKey;

    @BeforeAll
    static void startBothInstancesTogetherOnOneEmptyDatabase() throws Exception {
        dns = servers.manage(LoopbackDnsServer.start(DNS_PORT, LoopbackDnsServer.zone("alpha.test.", ALPHA_ZONE),
                LoopbackDnsServer.zone("beta.test.", BETA_ZONE)));
        alphaDatabase = PostgresDatabases.recreate(PostgresDatabases.name("scaleout_alpha"));
        Properties properties = new Properties();
        properties.setProperty("user", PostgresDatabases.user());
        // The driver directly: DriverManager does not see it when Maven runs the tests in its own JVM.
        database = servers.manage(new org.postgresql.Driver().connect(alphaDatabase, properties));
        alpha1 = alpha("127.0.0.6", "alpha1");
        alpha2 = alpha("127.0.0.7", "alpha2");
        beta = configured(servers.newServer("scaleout-beta", "127.0.0.8", CMTP_PORT, "beta.test", "pw-beta"));
        // All at once: the two alpha instances race to migrate the schema and to make the
        // server key and the admin credential on the same empty database.
        servers.start(alpha1, alpha2, beta);
        alpha1Admin = alpha1.admin();
        alpha2Admin = alpha2.admin();
        betaAdmin = beta.admin();
        alpha1Admin.createAccount("alice", "alice's password");
        betaAdmin.createAccount("bob", "bob's password");
        alphaKey = alpha1.serverKey();
    }

    private static LaunchedServer alpha(String address, String name) throws Exception {
        return configured(servers.newServer("scaleout-" + name, address, CMTP_PORT, "alpha.test", "pw-alpha"))
                .with("CMTP_DB_URL", alphaDatabase)
                .with("CMTP_DB_USER", PostgresDatabases.user())
                .with("CMTP_RELAY_LEASE", Integer.toString(LEASE));
    }

    private static LaunchedServer configured(LaunchedServer server) {
        return server.with("CMTP_DNS_SERVERS", dns.hostAndPort())
                .with("CMTP_MX_PORT", Integer.toString(CMTP_PORT))
                // The MX records point at loopback, which the relay dials only when told to.
                .with("CMTP_DIAL_NETWORKS", "127.0.0.6/32,127.0.0.7/32,127.0.0.8/32")
                .with("CMTP_DELIVERY_DEADLINE", Integer.toString(LEASE - 2)) // an attempt ends within its lease
                .with("CMTP_RETRY_INITIAL", "1")
                .with("CMTP_RETRY_MAX", "2");
    }

    private static void start(LaunchedServer server) {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void bothInstancesAreOneDomainWithOneKeyOneAdminAndOneMailbox() throws Exception {
        assertArrayEquals(alphaKey, alpha2.serverKey(), "both instances sign with the one stored key");
        String logs = alpha1.log() + alpha2.log();
        assertEquals(1, occurrences(logs, "CMTP schema migrated to version 1"), "the schema was migrated once");
        assertEquals(1, occurrences(logs, "CMTP server key created"), "one key was made (the other instance's lost)");
        assertEquals(200, alpha2Admin.get("/api/accounts/alice").status(), "alice, made through alpha1, is on alpha2");

        for (LaunchedServer instance : List.of(alpha1, alpha2)) {
            MailBytes mail = MailBytes.to("alice", "alpha.test").from("carol", "elsewhere.test")
                    .body(("through " + instance.host()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (RawCmtpConnection cmtp = instance.connect()) {
                cmtp.readText();
                Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                        alphaKey);
            }
        }
        for (AdminClient admin : List.of(alpha1Admin, alpha2Admin)) {
            assertEquals(2, messages(admin, "alice").size(), "alice's mail from both instances, seen through either");
        }
        // The domain's statistics add up both instances (each writes its counts every 5 s)
        for (AdminClient admin : List.of(alpha1Admin, alpha2Admin)) {
            Await.until(() -> storedInTotal(admin) == 2, Duration.ofSeconds(30),
                    "the statistics, seen through either instance, to count the message each one stored");
        }
    }

    private static long storedInTotal(AdminClient admin) {
        try {
            return admin.get("/api/stats").json().asJsonObject().getJsonObject("totals").getJsonNumber("stored")
                    .longValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(2)
    void theRelayWorkersOfBothInstancesDrainOneQueueSendingEachMessageOnce() throws Exception {
        beta.close();
        List<byte[]> bodies = queueForBob();
        assertEquals(ROUND, queueRows().size());
        double relayed1 = metric(alpha1, "cmtp_messages_relayed_total");
        double relayed2 = metric(alpha2, "cmtp_messages_relayed_total");

        beta.start();
        Await.until(() -> queueRows().isEmpty(), Duration.ofSeconds(120), "alpha's queue drained");
        // more worker rounds on both instances: their chance to send something again
        alpha1.awaitRelayRounds(2, Duration.ofSeconds(60));
        alpha2.awaitRelayRounds(2, Duration.ofSeconds(60));
        assertEquals(List.of(), duplicatesAndLosses(bodies, Set.of()), "each message arrived exactly once");
        double by1 = metric(alpha1, "cmtp_messages_relayed_total") - relayed1;
        double by2 = metric(alpha2, "cmtp_messages_relayed_total") - relayed2;
        assertTrue(by1 > 0 && by2 > 0, "both instances relayed: " + by1 + " and " + by2);
        assertEquals(ROUND, by1 + by2, "relayed " + by1 + " + " + by2);
    }

    /**
     * alpha1 is killed while it holds leases on undelivered messages; alpha2 takes them
     * when the leases run out. Only a message alpha1 had already sent but not yet removed
     * may arrive twice, and there is at most one such: a worker sends one at a time.
     */
    @Test
    @Order(3)
    void whenOneInstanceIsKilledMidDrainTheOtherFinishes() throws Exception {
        Matcher worker = WORKER.matcher(alpha1.log());
        assertTrue(worker.find(), "alpha1 logged its worker name");
        String victim = worker.group(1);
        beta.close();
        List<byte[]> bodies = queueForBob();
        double relayedBefore = metric(alpha2, "cmtp_messages_relayed_total");

        CompletableFuture<Void> betaStarted = CompletableFuture.runAsync(() -> start(beta));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
        while (true) {
            List<QueueRow> rows = queueRows();
            if (rows.size() < ROUND && rows.stream().filter(r -> victim.equals(r.leaseOwner())).count() >= 2) {
                alpha1.kill(); // mid-drain: some delivered, alpha1 still holds claims
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("alpha1 never held claims while the queue drained: " + rows.size() + " left");
            }
            Thread.sleep(25);
        }
        Set<Integer> heldByVictim = new HashSet<>();
        for (QueueRow row : queueRows()) {
            if (victim.equals(row.leaseOwner())) {
                heldByVictim.add(indexOf(bodies, row.content()));
            }
        }
        assertFalse(heldByVictim.isEmpty(), "alpha1 died holding claims");
        betaStarted.get(5, TimeUnit.MINUTES);

        Await.until(() -> queueRows().isEmpty(), Duration.ofSeconds(120), "alpha2 drained the queue alone");
        alpha2.awaitRelayRounds(2, Duration.ofSeconds(60)); // its chance to send a message twice
        List<String> problems = duplicatesAndLosses(bodies, heldByVictim);
        assertTrue(problems.size() <= 1, "no loss, at most the one message alpha1 had in flight twice: " + problems
                + " (alpha1 held " + heldByVictim + ")");
        assertTrue(metric(alpha2, "cmtp_messages_relayed_total") - relayedBefore >= heldByVictim.size(),
                "alpha2 delivered what alpha1 had claimed");
    }

    // --- helpers ---

    /** Queues {@link #ROUND} messages for bob@beta.test, alternately through each instance. */
    private static List<byte[]> queueForBob() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        try (RawCmtpConnection one = alpha1.connect(); RawCmtpConnection two = alpha2.connect()) {
            one.readText();
            two.readText();
            for (int i = 0; i < ROUND; i++) {
                byte[] body = new byte[48];
                RANDOM.nextBytes(body); // tells the messages apart wherever they are
                bodies.add(body);
                MailBytes mail = MailBytes.to("bob", "beta.test").from("alice", "alpha.test").body(body);
                Replies.expectStatus((i % 2 == 0 ? one : two).send(mail.command()), "SUCCESS",
                        Libsodium.genericHash(64, mail.message()), alphaKey);
            }
        }
        return bodies;
    }

    /**
     * What went wrong with {@code bodies} at bob's: messages missing, and messages there
     * more than once; a duplicate of a message in {@code mayRepeat} is reported as
     * "repeated", any other problem as "lost" or "duplicated".
     */
    private static List<String> duplicatesAndLosses(List<byte[]> bodies, Set<Integer> mayRepeat) throws Exception {
        int[] seen = new int[bodies.size()];
        for (JsonValue message : messages(betaAdmin, "bob")) {
            byte[] raw = betaAdmin.getBytes("/api/accounts/bob/messages/" + message.asJsonObject().getJsonNumber("id")
                    + "/raw");
            int index = indexOf(bodies, raw);
            if (index >= 0) {
                seen[index]++;
            }
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] == 0) {
                problems.add("lost #" + i);
            } else if (seen[i] > 1) {
                problems.add((mayRepeat.contains(i) ? "repeated #" : "duplicated #") + i + " x" + seen[i]);
            }
        }
        problems.stream().filter(p -> !p.startsWith("repeated")).findAny()
                .ifPresent(p -> fail("lost or duplicated beyond what a crash explains: " + problems));
        return problems;
    }

    private static int indexOf(List<byte[]> bodies, byte[] content) {
        for (int i = 0; i < bodies.size(); i++) {
            if (MailBytes.contains(content, bodies.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private record QueueRow(long id, String leaseOwner, byte[] content) {
    }

    /** alpha's relay queue, read straight from the shared database. */
    private static List<QueueRow> queueRows() {
        try (PreparedStatement select = database.prepareStatement(
                        "SELECT ID, LEASE_OWNER, CONTENT FROM CMTP_RELAY_QUEUE WHERE RECIPIENT_DOMAIN = 'beta.test'");
                ResultSet rs = select.executeQuery()) {
            List<QueueRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new QueueRow(rs.getLong(1), rs.getString(2), rs.getBytes(3)));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonArray messages(AdminClient admin, String account) throws Exception {
        return admin.get("/api/accounts/" + account + "/messages?max=1000").json().asJsonArray();
    }

    /** A sample of this instance's Prometheus metrics, 0 when absent. */
    private static double metric(LaunchedServer server, String name) throws Exception {
        String exposition = AdminClient.anonymous(server.http()).get("/metrics").body();
        Matcher sample = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(exposition);
        return sample.find() ? Double.parseDouble(sample.group(2)) : 0;
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

}
