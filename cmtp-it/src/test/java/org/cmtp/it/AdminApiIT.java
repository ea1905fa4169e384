package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.it.support.TestServer;
import org.cmtp.sodium.Libsodium;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin REST API as an operator uses it: credentials, accounts, and the problems it answers with. */
@ExtendWith(ArquillianExtension.class)
class AdminApiIT {

    private static final HexFormat HEX = HexFormat.of();

    @Deployment(testable = false)
    static WebArchive server() {
        return ServerDeployment.war();
    }

    @ArquillianResource
    private URL base;

    private URI http;
    private AdminClient admin;

    @BeforeEach
    void setUp() {
        http = TestServer.http(base);
        admin = AdminClient.admin(http);
    }

    @Test
    void everyCallWithoutTheAdminPasswordIs401() throws Exception {
        for (String path : new String[] {"/api/server", "/api/accounts/x", "/api/accounts/x/messages"}) {
            assertEquals(401, AdminClient.anonymous(http).get(path).status(), path);
            assertEquals(401, new AdminClient(http, "admin", "wrong").get(path).status(), path);
            assertEquals(401, new AdminClient(http, "root", TestServer.adminPassword()).get(path).status(), path);
        }
        assertEquals(401, AdminClient.anonymous(http).post("/api/accounts", "{\"name\":\"x\",\"password\":\"12345678\"}")
                .status());
    }

    @Test
    void serverShowsItsDomainAndKey() throws Exception {
        JsonObject server = admin.get("/api/server").json().asJsonObject();
        assertEquals(TestServer.domain(), server.getJsonArray("domains").getString(0));
        assertEquals(64, server.getString("publicKey").length());
    }

    @Test
    void creatingAnAccountAnswers201WithItsAddressAndKey() throws Exception {
        AdminClient.Reply reply = admin.post("/api/accounts", "{\"name\":\"erin\",\"password\":\"erin's password\"}");
        assertEquals(201, reply.status(), reply.body());
        JsonObject account = reply.json().asJsonObject();
        assertEquals("erin", account.getString("name"));
        assertEquals("erin@" + TestServer.domain(), account.getString("address"));
        assertEquals(64, account.getString("publicKey").length());
        assertEquals(account, admin.get("/api/accounts/erin").json().asJsonObject());

        AdminClient.Reply again = admin.post("/api/accounts", "{\"name\":\"erin\",\"password\":\"another one\"}");
        assertProblem(again, 409, "name");
    }

    @Test
    void badRequestsAreProblemDocumentsNamingTheField() throws Exception {
        assertProblem(admin.post("/api/accounts", "{\"password\":\"long enough\"}"), 400, "name");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"short\",\"password\":\"1234\"}"), 400, "password");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"nokeys\"}"), 400, "password");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"hexless\",\"publicKey\":\"zz\",\"xzibit\":\"00\"}"), 400,
                "publicKey");
        assertProblem(admin.post("/api/accounts", "{\"name\":\"badx\",\"publicKey\":\"" + "00".repeat(32)
                + "\",\"xzibit\":\"0001\"}"), 400, "xzibit");
        AdminClient.Reply notJson = admin.post("/api/accounts", "{name: nope");
        assertEquals(400, notJson.status(), notJson.body());
        assertTrue(notJson.contentType().startsWith("application/problem+json"), notJson.contentType());
        assertProblem(admin.get("/api/accounts/nobody"), 404, "name");
        assertProblem(admin.get("/api/accounts/nobody/messages"), 404, "name");
    }

    @Test
    void anImportedAccountServesTheClientMadeKeyAndXzibit() throws Exception {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        byte[][] keys = Libsodium.signSeedKeypair(seed);
        byte[] xzibit = clientMadeXzibit(keys[0], keys[1], "frank's password");
        AdminClient.Reply reply = admin.post("/api/accounts", Json.createObjectBuilder().add("name", "frank")
                .add("publicKey", HEX.formatHex(keys[0])).add("xzibit", HEX.formatHex(xzibit)).build().toString());
        assertEquals(201, reply.status(), reply.body());
        byte[] serverKey = HEX.parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            assertArrayEquals(keys[0], Replies.expectKey(cmtp.send("KEYREQUEST\0frank\0\0"), serverKey));
            byte[] login = cmtp.send("LOGIN\0frank\0").read(220);
            assertArrayEquals(xzibit, Arrays.copyOf(login, 156), "LOGIN hands out the imported xzibit");
        }
    }

    @Test
    void accountsAreListedByPageAndSearchWithTheirTotal() throws Exception {
        for (String name : new String[] {"list_a3", "list_a1", "list_a2"}) {
            admin.createAccount(name, "password " + name);
        }
        AdminClient.Reply all = admin.get("/api/accounts?search=LIST_A&max=2");
        assertEquals(200, all.status(), all.body());
        assertEquals("3", all.header("X-Total-Count"));
        JsonArray page = all.json().asJsonArray();
        assertEquals(List.of("list_a1", "list_a2"), names(page));
        assertEquals(39, page.getJsonObject(0).getString("fingerprint").length(), "8 groups of 4 hex digits");
        assertEquals(List.of("list_a3"), names(admin.get("/api/accounts?search=list_a&first=2&max=2").json()
                .asJsonArray()));
        AdminClient.Reply none = admin.get("/api/accounts?search=" + "list%25");
        assertEquals("0", none.header("X-Total-Count"), "% in a search is a character, not a wildcard");
        assertTrue(Integer.parseInt(admin.get("/api/accounts").header("X-Total-Count")) >= 3);
        assertProblem(admin.get("/api/accounts?max=0"), 400, "max");
        assertProblem(admin.get("/api/accounts?first=-1"), 400, "first");
        assertEquals(401, AdminClient.anonymous(http).get("/api/accounts").status());
    }

    @Test
    void aDisabledAccountGetsNoMailAndNoKeyUntilEnabledAgain() throws Exception {
        admin.createAccount("gina", "gina's password");
        byte[] serverKey = serverKey();
        AdminClient.Reply disabled = admin.patch("/api/accounts/gina", "{\"enabled\":false}");
        assertEquals(200, disabled.status(), disabled.body());
        assertFalse(disabled.json().asJsonObject().getBoolean("enabled"));
        assertFalse(admin.get("/api/accounts/gina").json().asJsonObject().getBoolean("enabled"));
        MailBytes mail = MailBytes.to("gina", TestServer.domain()).body(new byte[60]);
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send(mail.command()), "DELIVERYFAILURE", Libsodium.genericHash(64, mail.message()),
                    serverKey);
            Replies.expectStatus(cmtp.send("KEYREQUEST\0gina\0\0"), "KEYNOTAVAILABLE", new byte[0], serverKey);
        }
        assertTrue(admin.patch("/api/accounts/gina", "{\"enabled\":true}").json().asJsonObject().getBoolean("enabled"));
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                    serverKey);
        }
        assertProblem(admin.patch("/api/accounts/gina", "{}"), 400, "enabled");
        assertProblem(admin.patch("/api/accounts/nobody", "{\"enabled\":false}"), 404, "name");
        assertEquals(401, AdminClient.anonymous(http).patch("/api/accounts/gina", "{\"enabled\":false}").status());
    }

    @Test
    void deletingMessagesAndAccounts() throws Exception {
        admin.createAccount("hank", "hank's password");
        byte[] serverKey = serverKey();
        MailBytes mail = MailBytes.to("hank", TestServer.domain()).body(new byte[60]);
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            for (int i = 0; i < 2; i++) {
                Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                        serverKey);
            }
        }
        JsonArray messages = admin.get("/api/accounts/hank/messages").json().asJsonArray();
        assertEquals(2, messages.size());
        AdminClient.Reply onePage = admin.get("/api/accounts/hank/messages?first=0&max=1");
        assertEquals(1, onePage.json().asJsonArray().size());
        assertEquals("2", onePage.header("X-Total-Count"), "the total of all pages");
        long id = messages.getJsonObject(0).getJsonNumber("id").longValue();
        assertEquals(401, AdminClient.anonymous(http).delete("/api/accounts/hank/messages/" + id).status());
        assertEquals(204, admin.delete("/api/accounts/hank/messages/" + id).status());
        assertProblem(admin.delete("/api/accounts/hank/messages/" + id), 404, "id");
        assertEquals(1, admin.get("/api/accounts/hank/messages").json().asJsonArray().size());

        assertEquals(401, AdminClient.anonymous(http).delete("/api/accounts/hank").status());
        assertEquals(204, admin.delete("/api/accounts/hank").status(), "an account with a message in its mailbox");
        assertProblem(admin.get("/api/accounts/hank"), 404, "name");
        assertProblem(admin.delete("/api/accounts/hank"), 404, "name");
        admin.createAccount("hank", "the new hank");
        assertEquals(0, admin.get("/api/accounts/hank/messages").json().asJsonArray().size(),
                "the old mailbox went with the old account");
    }

    @Test
    void theQueueIsFilteredByRecipientOrDomain() throws Exception {
        byte[] serverKey = serverKey();
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            for (String[] to : new String[][] {{"ivy", "q1.test"}, {"joe", "q1.test"}, {"ivy", "q2.test"}}) {
                MailBytes mail = MailBytes.to(to[0], to[1]).body(new byte[60]);
                Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                        serverKey);
            }
        }
        assertEquals(List.of("ivy@q1.test", "joe@q1.test"), recipients(admin.get("/api/queue?domain=Q1.test")));
        AdminClient.Reply firstOfDomain = admin.get("/api/queue?domain=q1.test&max=1");
        assertEquals(1, firstOfDomain.json().asJsonArray().size());
        assertEquals("2", firstOfDomain.header("X-Total-Count"), "the domain's total on all pages");
        assertEquals("1", admin.get("/api/queue?recipient=ivy@q2.test").header("X-Total-Count"));
        assertEquals(List.of("ivy@q2.test"), recipients(admin.get("/api/queue?recipient=ivy@q2.test")));
        assertEquals(List.of(), recipients(admin.get("/api/queue?recipient=ivy@q2.test&domain=q1.test")));
        assertProblem(admin.get("/api/queue?recipient=nobody"), 400, "recipient");
        assertProblem(admin.get("/api/queue?max=5000"), 400, "max");
        assertEquals(401, AdminClient.anonymous(http).get("/api/queue?domain=q1.test").status());
    }

    /**
     * The message list and the queue list, like every paged list, tell the total of all their
     * pages; a paging value that is no number, or out of range, is a 400 problem naming the
     * parameter (JAX-RS alone would answer a number it cannot read with 404).
     */
    @Test
    void everyPagedListTellsItsTotalAndABadPageIsAProblemNamingTheParameter() throws Exception {
        admin.createAccount("paula", "paula's password");
        byte[] serverKey = serverKey();
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            for (String[] to : new String[][] {{"paula", TestServer.domain()}, {"paula", TestServer.domain()},
                    {"paula", TestServer.domain()}, {"rita", "pq.test"}, {"sam", "pq.test"}}) {
                MailBytes mail = MailBytes.to(to[0], to[1]).body(new byte[60]);
                Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                        serverKey);
            }
        }
        AdminClient.Reply messages = admin.get("/api/accounts/paula/messages?first=1&max=1");
        assertEquals(1, messages.json().asJsonArray().size());
        assertEquals("3", messages.header("X-Total-Count"), "the message list's total");
        AdminClient.Reply queued = admin.get("/api/queue?domain=pq.test&max=1");
        assertEquals(1, queued.json().asJsonArray().size());
        assertEquals("2", queued.header("X-Total-Count"), "the queue list's total");
        AdminClient.Reply wholeQueue = admin.get("/api/queue?max=1000");
        assertEquals(String.valueOf(wholeQueue.json().asJsonArray().size()), wholeQueue.header("X-Total-Count"));
        AdminClient.Reply pins = admin.get("/api/known-servers");
        assertEquals(String.valueOf(pins.json().asJsonArray().size()), pins.header("X-Total-Count"));

        for (String list : List.of("/api/accounts", "/api/accounts/paula/messages", "/api/queue", "/api/known-servers")) {
            assertPageProblem(admin.get(list + "?max=ten"), "max", "max must be a whole number from 1 to 1000, not 'ten'");
            assertPageProblem(admin.get(list + "?max=1001"), "max", "max must be a whole number from 1 to 1000, not '1001'");
            assertPageProblem(admin.get(list + "?first=-1"), "first", "first must be a whole number ≥ 0, not '-1'");
            assertPageProblem(admin.get(list + "?first=1.5"), "first", "first must be a whole number ≥ 0, not '1.5'");
        }
        // the known servers' list had offset and limit: still accepted, and named in their problems
        assertEquals(200, admin.get("/api/known-servers?offset=0&limit=1").status());
        assertPageProblem(admin.get("/api/known-servers?limit=0"), "limit",
                "limit must be a whole number from 1 to 1000, not '0'");
        assertPageProblem(admin.get("/api/known-servers?first=0&offset=0"), "offset",
                "give first or offset (its older name), not both");
    }

    private static void assertPageProblem(AdminClient.Reply reply, String field, String detail) {
        assertProblem(reply, 400, field);
        assertEquals(detail, reply.json().asJsonObject().getString("detail"));
        assertEquals("Bad Request", reply.json().asJsonObject().getString("title"));
    }

    @Test
    void serverShowsKeyFingerprintAndSince() throws Exception {
        JsonObject server = admin.get("/api/server").json().asJsonObject();
        assertTrue(server.getString("fingerprint").matches("([0-9a-f]{4}:){7}[0-9a-f]{4}"), server.toString());
        assertTrue(Instant.parse(server.getString("since")).isBefore(Instant.now()));
    }

    @Test
    void dnsShowsWhereMailForADomainGoes() throws Exception {
        AdminClient.Reply routed = admin.get("/api/dns/routed.test");
        assertEquals(200, routed.status(), routed.body());
        JsonObject check = routed.json().asJsonObject();
        assertEquals("routed.test", check.getString("domain"));
        assertTrue(check.getBoolean("staticRoute"));
        assertEquals("STATIC_ROUTE", check.getString("source"));
        assertEquals("off", check.getString("dnssec"));
        assertFalse(check.getBoolean("secure"));
        assertEquals("127.0.0.3:9001", check.getJsonArray("hosts").getJsonObject(0).getJsonArray("addresses")
                .getString(0));
        assertProblem(admin.get("/api/dns/not..valid"), 400, "domain");
        assertProblem(admin.get("/api/dns/unreachable.test"), 502, "domain"); // the test DNS server does not answer
        assertEquals(401, AdminClient.anonymous(http).get("/api/dns/routed.test").status());
    }

    @Test
    void readinessIsUpWithTheDatabaseTheListenerAndTheRelayWorker() throws Exception {
        AdminClient.Reply ready = AdminClient.anonymous(http).get("/health/ready");
        for (int i = 0; i < 30 && ready.status() != 200; i++) { // the relay worker's first round is at most 5 s away
            Thread.sleep(500);
            ready = AdminClient.anonymous(http).get("/health/ready");
        }
        assertEquals(200, ready.status(), ready.body());
        JsonObject health = ready.json().asJsonObject();
        assertEquals("UP", health.getString("status"), ready.body());
        Map<String, String> checks = health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
        assertEquals(Map.of("database", "UP", "cmtp-listener", "UP", "relay-worker", "UP"), checks, ready.body());
    }

    @Test
    void metricsCountMailAndTimeIt() throws Exception {
        admin.createAccount("kim", "kim's password");
        byte[] serverKey = serverKey();
        String before = metrics();
        MailBytes stored = MailBytes.to("kim", TestServer.domain()).body(new byte[60]);
        MailBytes rejected = MailBytes.to("nobody", TestServer.domain()).body(new byte[60]);
        MailBytes queued = MailBytes.to("kim", "metrics.test").body(new byte[60]);
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send(stored.command()), "SUCCESS", Libsodium.genericHash(64, stored.message()),
                    serverKey);
            Replies.expectStatus(cmtp.send(rejected.command()), "DELIVERYFAILURE",
                    Libsodium.genericHash(64, rejected.message()), serverKey);
            Replies.expectStatus(cmtp.send(queued.command()), "SUCCESS", Libsodium.genericHash(64, queued.message()),
                    serverKey);
            String during = metrics();
            assertTrue(metric(during, "cmtp_connections_open") >= 1, during);
            assertTrue(metric(during, "cmtp_queue_depth") >= 1, during);
        }
        String after = metrics();
        assertEquals(3, metric(after, "cmtp_messages_received_total") - metric(before, "cmtp_messages_received_total"));
        assertEquals(1, metric(after, "cmtp_messages_stored_total") - metric(before, "cmtp_messages_stored_total"));
        assertEquals(1, metric(after, "cmtp_messages_rejected_total") - metric(before, "cmtp_messages_rejected_total"));
        assertEquals(1, metric(after, "cmtp_messages_queued_total") - metric(before, "cmtp_messages_queued_total"));
        assertEquals(3, metric(after, "cmtp_mail_handling_seconds_count")
                - metric(before, "cmtp_mail_handling_seconds_count"), after);
        assertTrue(after.contains("cmtp_messages_relayed_total") && after.contains("cmtp_messages_failed_total")
                && after.contains("cmtp_relay_attempt_seconds"), after);
    }

    @Test
    void stateChangingCallsWithoutXRequestedByAre403() throws Exception {
        AdminClient crossSite = AdminClient.adminWithoutRequestedBy(http);
        assertProblem(crossSite.post("/api/accounts", "{\"name\":\"mallory\",\"password\":\"12345678\"}"), 403,
                "X-Requested-By");
        assertProblem(admin.get("/api/accounts/mallory"), 404, "name");
        assertProblem(crossSite.delete("/api/queue/1"), 403, "X-Requested-By");
        assertProblem(crossSite.patch("/api/accounts/x", "{\"enabled\":false}"), 403, "X-Requested-By");
        assertEquals(200, crossSite.get("/api/server").status(), "reading needs no header");
        assertEquals(401, AdminClient.anonymous(http).delete("/api/queue/1").status(), "credentials come first");
    }

    /** Failed logins from one address lock it out; from another loopback address so the other tests go on. */
    @Test
    void repeatedFailedAdminLoginsAreAnswered429WithRetryAfter() throws Exception {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8));
        String right = "Basic " + Base64.getEncoder().encodeToString(("admin:" + TestServer.adminPassword())
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, rawGet("127.0.0.77", "/api/server", right).status());
        for (int i = 0; i < 10; i++) { // cmtp.admin-login-failures defaults to 10
            assertEquals(401, rawGet("127.0.0.77", "/api/server", wrong).status(), "failure " + (i + 1));
        }
        RawHttpReply locked = rawGet("127.0.0.77", "/api/server", right);
        assertEquals(429, locked.status(), locked.text());
        long retryAfter = Long.parseLong(locked.header("retry-after"));
        assertTrue(retryAfter > 0 && retryAfter <= 60, locked.text());
        assertTrue(locked.text().contains("application/problem+json"), locked.text());
        assertEquals(200, rawGet("127.0.0.1", "/api/server", right).status(), "other addresses are not locked out");
    }

    /** cmtp.login-rate defaults to 60 LOGINs per minute and client address. */
    @Test
    void loginOnTheCmtpPortIsRateLimitedPerClientAddress() throws Exception {
        admin.createAccount("lou", "lou's password");
        byte[] serverKey = serverKey();
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.0.78", 0));
        socket.connect(new InetSocketAddress(TestServer.host(), TestServer.cmtpPort()), 5000);
        try (RawCmtpConnection cmtp = new RawCmtpConnection(socket)) {
            cmtp.readText(); // the greeting
            for (int i = 0; i < 60; i++) {
                byte[] reply = cmtp.send("LOGIN\0lou\0").read(220);
                assertEquals(1, ByteBuffer.wrap(reply).getInt(), "an xzibit, LOGIN " + (i + 1));
            }
            Replies.expectStatus(cmtp.send("LOGIN\0lou\0"), "FAILURE", new byte[0], serverKey);
        }
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            assertEquals(1, ByteBuffer.wrap(cmtp.send("LOGIN\0lou\0").read(220)).getInt(),
                    "another address may still log in");
        }
    }

    record RawHttpReply(int status, String text) {
        String header(String name) {
            Matcher header = Pattern.compile("(?im)^" + name + ":\\s*(\\S+)").matcher(text);
            return header.find() ? header.group(1) : null;
        }
    }

    /** A GET from a chosen loopback address (java.net.http cannot choose one). */
    private RawHttpReply rawGet(String from, String path, String authorization) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(http.getHost(), http.getPort()), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + http.getHost() + ":" + http.getPort()
                    + "\r\nAuthorization: " + authorization + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new RawHttpReply(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    @Test
    void statsCountMessagesPerHourAndInTotal() throws Exception {
        admin.createAccount("max", "max's password");
        byte[] serverKey = serverKey();
        JsonObject before = admin.get("/api/stats").json().asJsonObject();
        MailBytes mail = MailBytes.to("max", TestServer.domain()).body(new byte[60]);
        try (RawCmtpConnection cmtp = RawCmtpConnection.greeted()) {
            Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, mail.message()),
                    serverKey);
        }
        AdminClient.Reply reply = admin.get("/api/stats");
        assertEquals(200, reply.status(), reply.body());
        JsonObject stats = reply.json().asJsonObject();
        JsonObject totals = stats.getJsonObject("totals");
        assertEquals(before.getJsonObject("totals").getInt("stored") + 1, totals.getInt("stored"), reply.body());
        for (String key : new String[] {"received", "stored", "queued", "relayed", "failed", "rejected"}) {
            assertTrue(totals.containsKey(key), key);
        }
        JsonArray hours = stats.getJsonArray("hours");
        assertEquals(24, hours.size());
        JsonObject current = hours.getJsonObject(23);
        assertTrue(current.getInt("stored") >= 1, reply.body());
        assertTrue(Instant.parse(current.getString("start")).isAfter(Instant.now().minusSeconds(3601)));
        // nothing this suite queues can be delivered (no DNS), so the queue is still as listed
        assertEquals(admin.get("/api/queue?max=1000").json().asJsonArray().size(),
                stats.getJsonNumber("queueDepth").longValue(), "queueDepth counts the relay queue");
        // openConnections counts CMTP connections: one held open here is among them, and its close is seen
        long open;
        try (RawCmtpConnection held = RawCmtpConnection.greeted()) {
            open = admin.get("/api/stats").json().asJsonObject().getJsonNumber("openConnections").longValue();
            assertTrue(open >= 1, "the connection held open is counted: " + open);
        }
        Await.until(() -> {
            try {
                return admin.get("/api/stats").json().asJsonObject().getJsonNumber("openConnections").longValue()
                        == open - 1;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(30), "openConnections back to " + (open - 1) + " after the close");
        assertTrue(Instant.parse(stats.getString("since")).isBefore(Instant.now()));
        assertEquals(401, AdminClient.anonymous(http).get("/api/stats").status());
    }

    @Test
    void aTestMessageGoesThroughTheApplicationsConnectionFactoryAndIsStored() throws Exception {
        admin.createAccount("tessa", "tessa's password");
        AdminClient.Reply reply = admin.post("/api/test-messages",
                "{\"to\":\"tessa@" + TestServer.domain() + "\",\"subject\":\"hello\"}");
        assertEquals(200, reply.status(), reply.body());
        JsonObject receipt = reply.json().asJsonArray().getJsonObject(0);
        assertEquals("tessa@" + TestServer.domain(), receipt.getString("to"));
        assertEquals("SUCCESS", receipt.getString("status"), reply.body());
        assertEquals(128, receipt.getString("messageHash").length());
        JsonArray stored = admin.get("/api/accounts/tessa/messages").json().asJsonArray();
        assertEquals(1, stored.size(), "the test message is in tessa's mailbox");

        assertProblem(admin.post("/api/test-messages", "{}"), 400, "to");
        assertProblem(admin.post("/api/test-messages", "{\"to\":\"no-at-sign\"}"), 400, "to");
        assertProblem(admin.post("/api/test-messages", "{\"to\":\"../x@" + TestServer.domain() + "\"}"), 400, "to");
        AdminClient.Reply unknown = admin.post("/api/test-messages", "{\"to\":\"nobody@" + TestServer.domain() + "\"}");
        assertEquals(200, unknown.status(), unknown.body());
        assertEquals("KEYNOTAVAILABLE", unknown.json().asJsonArray().getJsonObject(0).getString("status"),
                "no key, so nothing was sent: " + unknown.body());
        assertEquals(403, AdminClient.adminWithoutRequestedBy(http).post("/api/test-messages",
                "{\"to\":\"tessa@" + TestServer.domain() + "\"}").status(), "a cross-site request sends nothing");
        assertEquals(1, admin.get("/api/accounts/tessa/messages").json().asJsonArray().size());
    }

    private String metrics() throws Exception {
        AdminClient.Reply reply = AdminClient.anonymous(http).get("/metrics");
        assertEquals(200, reply.status(), reply.body());
        return reply.body();
    }

    /** The value of a Prometheus sample, 0 when absent. */
    private static double metric(String exposition, String name) {
        Matcher sample = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(exposition);
        return sample.find() ? Double.parseDouble(sample.group(2)) : 0;
    }

    private byte[] serverKey() throws Exception {
        return HEX.parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
    }

    private static List<String> names(JsonArray accounts) {
        return accounts.stream().map(a -> a.asJsonObject().getString("name")).toList();
    }

    private static List<String> recipients(AdminClient.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return reply.json().asJsonArray().stream().map(q -> q.asJsonObject().getString("recipient")).toList();
    }

    /** An xzibit made the way a libsodium client makes one (PROTOCOL.md §2). */
    private static byte[] clientMadeXzibit(byte[] publicKey, byte[] secretKey, String password) {
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        byte[] key = Libsodium.scryptInteractive(password.getBytes(StandardCharsets.UTF_8), salt);
        byte[] plain = new byte[96];
        System.arraycopy(publicKey, 0, plain, 0, 32);
        System.arraycopy(secretKey, 0, plain, 32, 64);
        byte[] ciphertext = Libsodium.aeadChaCha20Poly1305Encrypt(plain, Arrays.copyOf(salt, 8), key);
        return ByteBuffer.allocate(156).putInt(1).put(salt).putLong(ciphertext.length).put(ciphertext).array();
    }

    private static void assertProblem(AdminClient.Reply reply, int status, String field) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
        JsonObject problem = reply.json().asJsonObject();
        assertEquals(status, problem.getInt("status"));
        assertEquals(field, problem.getString("field"), reply.body());
        assertTrue(problem.getString("detail").length() > 5, "a detail a person can read: " + reply.body());
    }
}
