package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PostgresDatabases;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What an operator runs the server with for years (issue 21): the three probes, one log
 * line per message event (as JSON with {@code CMTP_LOG_FORMAT=json}), the admin password
 * changed without a restart and at once on every instance of the database, quotas and
 * retention, and the Grafana dashboard's metrics. Two instances of {@code ops.test} share
 * one PostgreSQL database ({@code cmtp_ops_shared}); {@code far.test} is another domain
 * they relay to, and {@code gone.test} a domain whose server never answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    private static final String DOMAIN = "ops.test";
    private static final String FAR = "far.test";
    private static final String A_HOST = "127.0.0.130";
    private static final String B_HOST = "127.0.0.131";
    private static final String FAR_HOST = "127.0.0.132";
    private static final String GONE_HOST = "127.0.0.133";
    private static final int A_CMTP = 15501;
    private static final int B_CMTP = 15502;
    private static final int FAR_CMTP = 15503;
    private static final int GONE_CMTP = 15504;
    private static final int A_HTTP = 15580;
    private static final int B_HTTP = 15581;
    private static final int FAR_HTTP = 15582;
    static final String PASSWORD = "ops-admin-password";
    /** In every message body: it must never reach a log. */
    private static final String CONTENT_MARKER = "CONTENT-MUST-NOT-BE-LOGGED-7f3a";

    private String database;
    private LaunchedServer a;
    private LaunchedServer b;
    private LaunchedServer far;
    private AdminClient adminA;
    private AdminClient adminB;
    private byte[] serverKey;

    @BeforeAll
    void start() throws Exception {
        database = PostgresDatabases.recreate("cmtp_ops_shared");
        a = instance(A_HOST, A_CMTP, A_HTTP, "ops-a").with("CMTP_LOG_FORMAT", "json");
        b = instance(B_HOST, B_CMTP, B_HTTP, "ops-b");
        far = new LaunchedServer(FAR_HOST, FAR_CMTP, FAR_HTTP, LaunchedServer.freshDataDir("ops-far"), FAR, "far-password");
        // A first (it migrates the schema), then B and far.test at the same time.
        a.start();
        CompletableFuture<Void> startB = CompletableFuture.runAsync(() -> start(b));
        start(far);
        startB.join();
        adminA = new AdminClient(a.http(), "admin", PASSWORD);
        adminB = new AdminClient(b.http(), "admin", PASSWORD);
        serverKey = HexFormat.of().parseHex(adminA.get("/api/server").json().asJsonObject().getString("publicKey"));
        adminA.createAccount("olga", "olga-password-1234");
        new AdminClient(far.http(), "admin", "far-password").createAccount("carol", "carol-password-1234");
    }

    private LaunchedServer instance(String host, int cmtp, int http, String name) throws IOException {
        return new LaunchedServer(host, cmtp, http, LaunchedServer.freshDataDir(name), DOMAIN, PASSWORD)
                .with("CMTP_DB_URL", database)
                .with("CMTP_DB_USER", PostgresDatabases.user())
                .with("CMTP_ROUTES", FAR + "=" + FAR_HOST + ":" + FAR_CMTP + ",gone.test=" + GONE_HOST + ":" + GONE_CMTP)
                .with("CMTP_RETRY_INITIAL", "1")
                .with("CMTP_RETRY_MAX", "2")
                .with("CMTP_QUEUE_LIFETIME", "4");
    }

    private static void start(LaunchedServer server) {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (LaunchedServer server : new LaunchedServer[] {a, b, far}) {
            if (server != null) {
                server.close();
            }
        }
    }

    // ---- 4. probes and logs ------------------------------------------------------------

    @Test
    @Order(1)
    void liveStartedAndReadyProbesAnswer() throws Exception {
        for (AdminClient admin : List.of(adminA, adminB)) {
            AdminClient.Reply live = admin.get("/health/live");
            assertEquals(200, live.status(), live.body());
            JsonObject liveJson = live.json().asJsonObject();
            assertEquals("UP", liveJson.getString("status"));
            assertTrue(checkNames(liveJson).contains("deadlocks"), live.body());

            Await.until(() -> status(admin, "/health/started") == 200, Duration.ofSeconds(60), "/health/started 200");
            JsonObject started = admin.get("/health/started").json().asJsonObject();
            assertEquals("UP", started.getString("status"));
            assertTrue(checkNames(started).contains("started"), started.toString());

            Await.until(() -> status(admin, "/health/ready") == 200, Duration.ofSeconds(90), "/health/ready 200");
            assertFalse(checkNames(admin.get("/health/ready").json().asJsonObject()).contains("deadlocks"),
                    "liveness checks are not readiness checks");
        }
        // and the probes are admin surfaces: no answer from outside cmtp.admin-networks is tested by HttpsIT
    }

    @Test
    @Order(2)
    void everyMessageEventIsOneLogLineWithIdsAccountDomainAndSizeNeverContent() throws Exception {
        MailBytes stored = mail("olga", DOMAIN);
        MailBytes refused = mail("nobody", DOMAIN);
        MailBytes relayed = mail("carol", FAR);
        MailBytes bounced = mail("dan", "gone.test");
        try (RawCmtpConnection cmtp = a.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(stored.command()), "SUCCESS", hash(stored), serverKey);
            Replies.expectStatus(cmtp.send(refused.command()), "DELIVERYFAILURE", hash(refused), serverKey);
            Replies.expectStatus(cmtp.send(relayed.command()), "SUCCESS", hash(relayed), serverKey);
            Replies.expectStatus(cmtp.send(bounced.command()), "SUCCESS", hash(bounced), serverKey);
        }
        String size = "size=" + (stored.message().length);
        String hash = "hash=" + HexFormat.of().formatHex(hash(stored)).substring(0, 32);
        // A's log is JSON: each event a JSON object whose message is the line
        List<String> aEvents = awaitEvents(a, 3, "stored", "refused", "queued");
        assertTrue(aEvents.stream().anyMatch(line -> line.startsWith("CMTP message stored id=")
                && line.contains(hash) && line.contains(" account=olga domain=ops.test from=alice@elsewhere.test ")
                && line.contains(" client=")), aEvents.toString());
        assertTrue(aEvents.stream().anyMatch(line -> line.startsWith("CMTP message refused ")
                && line.contains(" account=nobody domain=ops.test ") && line.contains("reason=no-such-account")
                && line.contains("size=" + refused.message().length)), aEvents.toString());
        assertTrue(aEvents.stream().anyMatch(line -> line.startsWith("CMTP message queued id=")
                && line.contains(" account=carol domain=far.test ")), aEvents.toString());
        assertTrue(aEvents.stream().anyMatch(line -> line.startsWith("CMTP message queued id=")
                && line.contains(" account=dan domain=gone.test ")), aEvents.toString());
        // stored size is the message plus the log line the server appended
        assertTrue(aEvents.stream().noneMatch(line -> line.startsWith("CMTP message stored") && line.contains(size)),
                "the stored size includes the server's log line");

        // relayed and bounced by whichever instance's relay worker claimed them (A's JSON, or B's text)
        Await.until(() -> events(a).stream().anyMatch(l -> l.startsWith("CMTP message relayed") && l.contains("account=carol"))
                || textEvents(b).stream().anyMatch(l -> l.startsWith("CMTP message relayed") && l.contains("account=carol")),
                Duration.ofSeconds(90), "the relayed line");
        Await.until(() -> events(a).stream().anyMatch(l -> l.startsWith("CMTP message bounced") && l.contains("account=dan")
                && l.contains("reason=queue-lifetime-over"))
                || textEvents(b).stream().anyMatch(l -> l.startsWith("CMTP message bounced") && l.contains("account=dan")),
                Duration.ofSeconds(120), "the bounced line");
        Await.until(() -> textEvents(far).stream().anyMatch(l -> l.startsWith("CMTP message stored")
                && l.contains("account=carol domain=far.test")), Duration.ofSeconds(60), "far.test's stored line");

        for (LaunchedServer server : List.of(a, b, far)) {
            assertFalse(server.log().contains(CONTENT_MARKER), "no content in the log of " + server.host());
        }
    }

    /** Every line of A's log that carries a message event is a JSON object (Payara's JSON formatter). */
    private static List<String> events(LaunchedServer server) {
        List<String> events = new ArrayList<>();
        for (String line : log(server).split("\n")) {
            if (!line.contains("CMTP message ")) {
                continue;
            }
            JsonObject json = Json.createReader(new StringReader(line.strip())).readObject();
            JsonValue message = json.get("LogMessage");
            assertTrue(message instanceof JsonString, "a JSON log record with LogMessage: " + line);
            assertEquals("INFO", json.getString("Level"), line);
            events.add(((JsonString) message).getString());
        }
        return events;
    }

    private static List<String> awaitEvents(LaunchedServer server, int atLeast, String... kinds) throws InterruptedException {
        Await.until(() -> {
            List<String> events = events(server);
            for (String kind : kinds) {
                if (events.stream().noneMatch(line -> line.startsWith("CMTP message " + kind + " "))) {
                    return false;
                }
            }
            return events.size() >= atLeast;
        }, Duration.ofSeconds(30), "log lines " + List.of(kinds));
        return events(server);
    }

    private static final Pattern TEXT_EVENT = Pattern.compile("(CMTP message [^\\n|]*)");

    /** The message events of a server that logs Payara's usual text format. */
    private static List<String> textEvents(LaunchedServer server) {
        List<String> events = new ArrayList<>();
        Matcher m = TEXT_EVENT.matcher(log(server));
        while (m.find()) {
            events.add(m.group(1).strip());
        }
        return events;
    }

    private static String log(LaunchedServer server) {
        try {
            return server.log();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MailBytes mail(String account, String domain) {
        return MailBytes.to(account, domain).from("alice", "elsewhere.test")
                .body((CONTENT_MARKER + " for " + account).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hash(MailBytes mail) {
        return Libsodium.genericHash(64, mail.message());
    }

    private static List<String> checkNames(JsonObject health) {
        return health.getJsonArray("checks").stream().map(c -> c.asJsonObject().getString("name")).toList();
    }

    private static int status(AdminClient admin, String path) {
        try {
            return admin.get(path).status();
        } catch (IOException e) {
            return -1;
        }
    }
}
