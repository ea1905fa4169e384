package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.HeadlessChromium;
import org.cmtp.it.support.TestHttp;
import org.cmtp.it.support.UserApiClient;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PostgresDatabases;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.GrafanaDashboard;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator runs the server with for years (issue 21): the three probes, one log
 * line per message event (as JSON with {@code CMTP_LOG_FORMAT=json}), the admin password
 * changed without a restart and at once on every instance of the database, quotas and
 * retention, and the Grafana dashboard's metrics. Two instances of {@code ops.test} share
 * one PostgreSQL database (this run's {@code ops_shared}); {@code far.test} is another domain
 * they relay to, and {@code gone.test} a domain whose server never answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    /** Ports of this run (FreePorts). */
    private static final int CHROMEDRIVER_PORT = FreePorts.take();
    /** gone.test's server: nothing listens there. */
    private static final String GONE_HOST = "127.0.0.133";
    private static final int GONE_CMTP = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "ops.test";
    private static final String FAR = "far.test";
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
        database = PostgresDatabases.recreate(PostgresDatabases.name("ops_shared"));
        far = servers.newServer("ops-far", FAR, "far-password");
        a = instance("ops-a").with("CMTP_LOG_FORMAT", "json")
                .with("CMTP_RETENTION_DAYS", "7").with("CMTP_RETENTION_INTERVAL", "3");
        b = instance("ops-b");
        // A first (it migrates the schema), far.test beside it, then B.
        servers.start(a, far);
        servers.start(b);
        adminA = a.admin();
        adminB = b.admin();
        serverKey = a.serverKey();
        adminA.createAccount("olga", "olga-password-1234");
        far.admin().createAccount("carol", "carol-password-1234");
    }

    private LaunchedServer instance(String name) throws IOException {
        return servers.newServer(name, DOMAIN, PASSWORD)
                .with("CMTP_DB_URL", database)
                .with("CMTP_DB_USER", PostgresDatabases.user())
                .with("CMTP_ROUTES", FAR + "=" + far.host() + ":" + far.cmtpPort() + ",gone.test=" + GONE_HOST + ":" + GONE_CMTP)
                .with("CMTP_RETRY_INITIAL", "1")
                .with("CMTP_RETRY_MAX", "2")
                .with("CMTP_QUEUE_LIFETIME", "4");
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
            assertFalse(server.log().contains(CONTENT_MARKER), "no content in the log of " + server.name());
        }
    }

    // ---- 5. the admin password ----------------------------------------------------------

    static final String NEW_PASSWORD = "ops-new-admin-password";

    @Test
    @Order(3)
    void theAdminPasswordChangesWithoutARestartOnEveryInstanceAtOnce() throws Exception {
        AdminClient.Reply wrong = adminA.put("/api/admin/password",
                "{\"currentPassword\":\"not-it-at-all\",\"newPassword\":\"" + NEW_PASSWORD + "\"}");
        assertEquals(400, wrong.status(), wrong.body());
        assertEquals("currentPassword", wrong.json().asJsonObject().getString("field"));
        AdminClient.Reply tooShort = adminA.put("/api/admin/password",
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"short\"}");
        assertEquals(400, tooShort.status(), tooShort.body());
        assertEquals("newPassword", tooShort.json().asJsonObject().getString("field"));
        assertEquals(200, adminB.get("/api/server").status(), "B has verified the old password (and remembers it)");

        AdminClient.Reply changed = adminA.put("/api/admin/password",
                "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}");
        assertEquals(204, changed.status(), changed.body());
        // at once, on both instances: no wait, no restart
        assertEquals(401, adminB.get("/api/server").status(), "B refuses the old password at once");
        assertEquals(401, adminA.get("/api/server").status(), "A refuses the old password");
        adminA = new AdminClient(a.http(), "admin", NEW_PASSWORD);
        adminB = new AdminClient(b.http(), "admin", NEW_PASSWORD);
        assertEquals(200, adminB.get("/api/server").status(), "B takes the new one");
        assertEquals(200, adminA.get("/api/server").status(), "A takes the new one");
        assertFalse(a.log().contains(NEW_PASSWORD) || b.log().contains(NEW_PASSWORD), "never logged");
    }

    // ---- 3. quotas and retention -----------------------------------------------------------

    @Test
    @Order(4)
    void mailOverAQuotaIsRefusedCountedAndUsageShown() throws Exception {
        adminA.createAccount("quinn", "quinn-password-1234");
        JsonObject fresh = adminA.get("/api/accounts/quinn").json().asJsonObject();
        assertEquals(0, fresh.getJsonNumber("messages").longValue());
        assertFalse(fresh.containsKey("quotaMessages"), "unlimited by default: " + fresh);
        assertEquals(400, adminA.patch("/api/accounts/quinn", "{\"quotaMessages\":-1}").status());

        JsonObject limited = adminA.patch("/api/accounts/quinn", "{\"quotaMessages\":2}").json().asJsonObject();
        assertEquals(2, limited.getJsonNumber("quotaMessages").longValue(), limited.toString());
        long overBefore = metric(a, "cmtp_messages_over_quota_total");
        MailBytes first = mail("quinn", DOMAIN);
        MailBytes second = mail("quinn", DOMAIN);
        MailBytes third = mail("quinn", DOMAIN).log("third");
        // through B: the quota set on A is the database's
        try (RawCmtpConnection cmtp = b.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(first.command()), "SUCCESS", hash(first), serverKey);
        }
        try (RawCmtpConnection cmtp = a.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(second.command()), "SUCCESS", hash(second), serverKey);
            Replies.expectStatus(cmtp.send(third.command()), "DELIVERYFAILURE", hash(third), serverKey);
        }
        assertEquals(overBefore + 1, metric(a, "cmtp_messages_over_quota_total"), "counted in /metrics");
        awaitEvents(a, 1, "refused");
        assertTrue(events(a).stream().anyMatch(l -> l.startsWith("CMTP message refused") && l.contains("account=quinn")
                && l.contains("reason=over-quota")), events(a).toString());

        JsonObject usage = adminA.get("/api/accounts/quinn").json().asJsonObject();
        assertEquals(2, usage.getJsonNumber("messages").longValue(), usage.toString());
        long bytes = usage.getJsonNumber("bytes").longValue();
        assertTrue(bytes > first.message().length + second.message().length, usage.toString());

        // the bytes limit: unlimited messages, room for one more small message only
        adminA.patch("/api/accounts/quinn", "{\"quotaMessages\":0,\"quotaBytes\":" + (bytes + 300) + "}");
        MailBytes small = mail("quinn", DOMAIN);
        MailBytes big = MailBytes.to("quinn", DOMAIN).from("alice", "elsewhere.test").body(new byte[400]);
        try (RawCmtpConnection cmtp = a.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(big.command()), "DELIVERYFAILURE", hash(big), serverKey);
            Replies.expectStatus(cmtp.send(small.command()), "SUCCESS", hash(small), serverKey);
        }
        assertEquals(overBefore + 2, metric(a, "cmtp_messages_over_quota_total"));

        // the account holder sees the same through the user API
        UserApiClient quinn = signIn(a, "quinn", "quinn-password-1234");
        UserApiClient.Reply mine = quinn.get("/api/user/messages/usage");
        assertEquals(200, mine.status(), mine.toString());
        JsonObject seen = mine.json().asJsonObject();
        assertEquals(3, seen.getJsonNumber("messages").longValue(), seen.toString());
        assertEquals(bytes + 300, seen.getJsonNumber("quotaBytes").longValue(), seen.toString());
        assertFalse(seen.containsKey("quotaMessages"), "0 made it unlimited again: " + seen);
        assertEquals(adminA.get("/api/accounts/quinn").json().asJsonObject().getJsonNumber("bytes").longValue(),
                seen.getJsonNumber("bytes").longValue());
    }

    @Test
    @Order(5)
    void messagesOlderThanTheRetentionPeriodAreDeleted() throws Exception {
        adminA.createAccount("rita", "rita-password-12345");
        MailBytes old = mail("rita", DOMAIN).log("old");
        MailBytes recent = mail("rita", DOMAIN).log("recent");
        try (RawCmtpConnection cmtp = a.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(old.command()), "SUCCESS", hash(old), serverKey);
            Replies.expectStatus(cmtp.send(recent.command()), "SUCCESS", hash(recent), serverKey);
        }
        jakarta.json.JsonArray listed = adminA.get("/api/accounts/rita/messages").json().asJsonArray();
        assertEquals(2, listed.size());
        long oldId = listed.getJsonObject(1).getJsonNumber("id").longValue(); // newest first
        long recentId = listed.getJsonObject(0).getJsonNumber("id").longValue();
        long expiredBefore = metric(a, "cmtp_messages_expired_total");
        // eight days ago, as if it had been kept that long (CMTP_RETENTION_DAYS=7)
        Properties properties = new Properties();
        properties.setProperty("user", PostgresDatabases.user());
        try (Connection db = new org.postgresql.Driver().connect(database, properties);
                PreparedStatement age = db.prepareStatement(
                        "UPDATE CMTP_MESSAGE SET RECEIVED = RECEIVED - INTERVAL '8 days' WHERE ID = ?")) {
            age.setLong(1, oldId);
            assertEquals(1, age.executeUpdate());
        }
        Await.until(() -> ids(adminA, "rita").equals(List.of(recentId)), Duration.ofSeconds(60),
                "the old message deleted by the retention sweep (every 3 s here), the recent one kept");
        assertTrue(metric(a, "cmtp_messages_expired_total") >= expiredBefore + 1, "counted");
        assertTrue(adminA.get("/api/accounts/olga/messages").json().asJsonArray().size() >= 1,
                "other recent mail is kept");
    }

    private static List<Long> ids(AdminClient admin, String account) {
        try {
            return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray().stream()
                    .map(m -> m.asJsonObject().getJsonNumber("id").longValue()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    // ---- 7. the Grafana dashboard --------------------------------------------------------

    @Test
    @Order(6)
    void everyMetricTheGrafanaDashboardQueriesIsServed() throws Exception {
        Set<String> queried = GrafanaDashboard.queriedMetrics();
        assertTrue(queried.size() >= 10, "the dashboard queries the server's metrics: " + queried);
        String metrics = metricsText(a);
        Set<String> served = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                served.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(served);
        assertTrue(missing.isEmpty(), "queried by the dashboard but not in /metrics: " + missing + "; served: " + served);
    }

    // ---- the console: quota, usage and the admin password ----------------------------------

    @Test
    @Order(7)
    void theConsoleSetsAQuotaShowsUsageAndChangesTheAdminPassword() throws Exception {
        adminA.createAccount("sven", "sven-password-12345");
        MailBytes one = mail("sven", DOMAIN);
        try (RawCmtpConnection cmtp = a.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(one.command()), "SUCCESS", hash(one), serverKey);
        }
        Path downloads = Files.createDirectories(Path.of("target/ops-console-downloads"));
        ChromeDriver browser = HeadlessChromium.start(downloads, CHROMEDRIVER_PORT);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(a.http().toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-password"))).sendKeys(NEW_PASSWORD + "\n");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("nav.side")));
            browser.get(a.http() + "#/accounts/sven");
            WebElement usage = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account-usage")));
            assertTrue(usage.getText().startsWith("1 message,"), usage.getText());
            assertTrue(usage.getText().contains("no quota"), usage.getText());
            browser.findElement(By.id("quota-messages")).sendKeys("5");
            browser.findElement(By.cssSelector("#quota-form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("account-usage"), "1 message of 5"));
            assertEquals(5, adminA.get("/api/accounts/sven").json().asJsonObject().getJsonNumber("quotaMessages")
                    .longValue(), "set on the server");

            String third = "ops-third-admin-password";
            browser.get(a.http() + "#/identity");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("admin-current-password"))).sendKeys(NEW_PASSWORD);
            browser.findElement(By.id("admin-new-password")).sendKeys(third);
            browser.findElement(By.id("admin-new-password-again")).sendKeys(third);
            browser.findElement(By.cssSelector("#admin-password-form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Admin password changed"));
            assertEquals(401, adminB.get("/api/server").status(), "the old one is refused on B");
            adminA = new AdminClient(a.http(), "admin", third);
            adminB = new AdminClient(b.http(), "admin", third);
            assertEquals(200, adminB.get("/api/server").status(), "the new one works on B");
            // the console goes on with the new password, without signing in again
            browser.get(a.http() + "#/accounts");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("account-search")));
            assertTrue(browser.findElement(By.id("signin")).getAttribute("hidden") != null, "still signed in");
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(8)
    void aRestartWithTheSameAdminPasswordSettingKeepsThePasswordChangedSince() throws Exception {
        b.close();
        servers.start(b); // still CMTP_ADMIN_PASSWORD=PASSWORD, the setting applied at its first start
        assertEquals(401, b.admin().get("/api/server").status(), "the unchanged setting (PASSWORD) does not undo the change");
        assertEquals(200, adminB.get("/api/server").status(), "the password changed in the console holds");
        assertEquals(200, adminA.get("/api/server").status());
    }

    private long metric(LaunchedServer server, String name) throws Exception {
        for (String line : metricsText(server).split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private String metricsText(LaunchedServer server) throws Exception {
        HttpClient http = TestHttp.newClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.http().resolve("/metrics"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** Signs in by proof of key, as README "Users" describes; returns a client holding the token. */
    private UserApiClient signIn(LaunchedServer server, String account, String password) throws Exception {
        UserApiClient anonymous = new UserApiClient(server.http(), null);
        UserApiClient.Reply reply = anonymous.get("/api/user/xzibit/" + account);
        assertEquals(200, reply.status(), reply.toString());
        byte[] xzibit = Arrays.copyOf(reply.bytes(), reply.bytes().length - 64);
        ByteBuffer in = ByteBuffer.wrap(xzibit);
        in.getInt();
        byte[] salt = new byte[32];
        in.get(salt);
        byte[] ciphertext = new byte[(int) in.getLong()];
        in.get(ciphertext);
        byte[] key = Libsodium.scryptInteractive(password.getBytes(StandardCharsets.UTF_8), salt);
        byte[] secretKey = Arrays.copyOfRange(Libsodium.aeadChaCha20Poly1305Decrypt(ciphertext, Arrays.copyOf(salt, 8), key),
                32, 96);
        JsonObject challenge = anonymous.postJson("/api/user/signin/challenge",
                "{\"address\":\"" + account + "@" + DOMAIN + "\"}").json().asJsonObject();
        byte[] statement = MailBytes.concat(("CMTP-SIGNIN-1\0" + DOMAIN + "\0" + account + "\0")
                .getBytes(StandardCharsets.UTF_8), serverKey,
                Base64.getUrlDecoder().decode(challenge.getString("challenge")),
                ByteBuffer.allocate(8).putLong(challenge.getJsonNumber("expiresEpochSecond").longValue()).array());
        UserApiClient.Reply session = anonymous.postJson("/api/user/signin", Json.createObjectBuilder()
                .add("account", account).add("challenge", challenge.getString("challenge"))
                .add("signature", HexFormat.of().formatHex(Libsodium.signDetached(statement, secretKey))).build().toString());
        assertEquals(200, session.status(), session.toString());
        return anonymous.withToken(session.json().asJsonObject().getString("token"));
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
