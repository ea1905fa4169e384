package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.net.InetSocketAddress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.AppServer;
import org.cmtp.it.support.GrafanaDashboard;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.message.MailAddress;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.Test;

/**
 * {@code cmtp.ear} on a full application server, end to end as an operator does it: start
 * the server, make the data source with the server's own tool, deploy the EAR, then use
 * it: the admin API (401 without credentials, an account made over REST), a message
 * delivered over CMTP with its signed receipt, and the stored bytes read back over REST.
 * The resource adapter's inbound side (the CMTP listener bound to the domain's MDB) and
 * its outbound connection factory (a test message sent through it) must both work, and the
 * server's MicroProfile Health checks and Prometheus metrics answer where the server serves
 * them ({@link AppServer#monitoring()}), counting the two messages stored. Then
 * the application is replaced by {@code cmtp-with-sample.ear} (the same modules plus the
 * sample's Jakarta Mail sender) and a message goes out with {@code Transport.send}.
 * Each phase is timed and printed.
 */
abstract class EarOnServer {

    static final String DOMAIN = "ear.test";
    static final String ADMIN_PASSWORD = "ear-admin-password";

    /** The server under test, not yet started, working in {@code work}. */
    abstract AppServer server(Path work) throws Exception;

    /** The CMTP port the server's application listens on. */
    abstract int cmtpPort();

    abstract String name();

    /** The CMTP checks of each probe: each listed exactly once (not twice, not missing). */
    private static final Map<String, List<String>> CHECKS = Map.of(
            "/health/ready", List.of("database", "cmtp-listener", "relay-worker"),
            "/health/live", List.of("deadlocks"),
            "/health/started", List.of("started"));
    @Test
    void theEarServesCmtpAndTheAdminApi() throws Exception {
        Path servers = Path.of(System.getProperty("it.servers.dir"));
        Path ear = servers.resolve("cmtp.ear");
        assertTrue(Files.isRegularFile(ear), ear + " is built and copied by the profile");
        try (AppServer server = server(servers.resolve(name() + "-run"))) {
            server.timed("boot", server::start);
            server.timed("configure", server::configure);
            server.timed("deploy", () -> server.deploy(ear));
            server.timed("checks", () -> servesMailAndAdminApi(server));
            // the same server and data, the application replaced by the EAR that also holds
            // the sample's Jakarta Mail sender (cmtp-samples/mail-app-ear)
            server.timed("undeploy", server::undeploy);
            server.timed("deploy with sample", () -> server.deploy(servers.resolve("cmtp-with-sample.ear")));
            server.timed("Jakarta Mail", () -> sendsWithTransportSendOnAMailSession(server));
            server.timed("stop", server::stop);
            System.out.println(name() + " EAR smoke test: " + server.timings());
        }
    }

    private void servesMailAndAdminApi(AppServer server) throws Exception {
        AppServer.awaitPort("127.0.0.1", cmtpPort(), Duration.ofSeconds(120));
        assertEquals(401, AdminClient.anonymous(server.http()).get("/api/server").status(),
                "the admin API wants credentials");
        AdminClient admin = new AdminClient(server.http(), "admin", ADMIN_PASSWORD);
        byte[] serverKey = HexFormat.of().parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
        admin.createAccount("alice", "alice's password");

        MailBytes mail = MailBytes.to("alice", DOMAIN).body("sealed elsewhere".getBytes(StandardCharsets.UTF_8))
                .attachment(new byte[300]);
        byte[] sent = mail.message();
        try (RawCmtpConnection cmtp = new RawCmtpConnection("127.0.0.1", cmtpPort())) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send(mail.command()), "SUCCESS", Libsodium.genericHash(64, sent), serverKey);
        }

        JsonArray messages = admin.get("/api/accounts/alice/messages").json().asJsonArray();
        assertEquals(1, messages.size(), "one message in alice's mailbox: " + messages);
        byte[] stored = admin.getBytes("/api/accounts/alice/messages/" + messages.getJsonObject(0).getJsonNumber("id")
                + "/raw");
        String line = ProtocolIT.appendedLogLine(sent, stored);
        assertTrue(line.contains(" " + DOMAIN + " accepted from 127.0.0.1"), line);
        assertArrayEquals(mail.storedWith(line), stored, "stored = sent message + the server's log line");

        String log = Files.readString(server.serverLog(), StandardCharsets.ISO_8859_1);
        String factory = "CMTP outbound connection factory bound at java:app/cmtp/ConnectionFactory: "
                + "CmtpConnectionFactory[127.0.0.1:" + cmtpPort() + "]";
        assertTrue(log.contains(factory), "the server found the adapter's outbound factory: " + factory);

        // The outbound side at work: a test message sent through that factory (KEYREQUEST,
        // sealed MAIL, the receipt checked) by the server's own application
        AdminClient.Reply sentThroughFactory = admin.post("/api/test-messages", "{\"to\":\"alice@" + DOMAIN + "\"}");
        assertEquals(200, sentThroughFactory.status(), sentThroughFactory.body());
        assertEquals("SUCCESS", sentThroughFactory.json().asJsonArray().getJsonObject(0).getString("status"),
                sentThroughFactory.body());
        assertEquals(2, admin.get("/api/accounts/alice/messages").json().asJsonArray().size(),
                "the message sent through the connection factory is in alice's mailbox");
        checkHealth(server);
        checkMetrics(server, 2);
    }

    /**
     * {@code /health/ready}, {@code /live} and {@code /started} are UP and list the server's
     * checks once each. Ready once the relay worker has run its first round, up to 5 s after
     * the deployment: polled until then.
     */
    private static void checkHealth(AppServer server) throws Exception {
        AdminClient health = AdminClient.anonymous(server.monitoring());
        Await.until(() -> status(health, "/health/ready") == 200, Duration.ofSeconds(60),
                "/health/ready at " + server.monitoring() + " to answer 200");
        for (Map.Entry<String, List<String>> probe : CHECKS.entrySet()) {
            AdminClient.Reply reply = health.get(probe.getKey());
            assertEquals(200, reply.status(), probe.getKey() + ": " + reply.body());
            JsonObject answer = reply.json().asJsonObject();
            assertEquals("UP", answer.getString("status"), reply.body());
            List<String> names = answer.getJsonArray("checks").stream()
                    .map(check -> check.asJsonObject().getString("name")).toList();
            for (String check : probe.getValue()) {
                assertEquals(1, names.stream().filter(check::equals).count(),
                        probe.getKey() + " lists " + check + " once: " + reply.body());
            }
        }
    }

    /** The server's metrics in Prometheus form, one sample each; {@code stored} messages counted. */
    private static void checkMetrics(AppServer server, int stored) throws Exception {
        AdminClient.Reply reply = AdminClient.anonymous(server.monitoring()).get("/metrics");
        assertEquals(200, reply.status(), reply.body());
        for (String metric : GrafanaDashboard.queriedMetrics()) {
            sample(reply.body(), metric);
        }
        assertEquals(stored, sample(reply.body(), "cmtp_messages_stored_total"), "messages stored");
        assertEquals(stored, sample(reply.body(), "cmtp_mail_handling_seconds_count"), "MAIL commands timed");
    }

    /** The value of the one sample of {@code metric} (with whatever labels) in a Prometheus exposition. */
    static double sample(String exposition, String metric) {
        List<String> samples = exposition.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " ")).toList();
        assertEquals(1, samples.size(), "one sample of " + metric + ": " + samples);
        String line = samples.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static int status(AdminClient client, String path) {
        try {
            return client.get(path).status();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /**
     * The sample's {@code POST /sample/mail-session/send}: plain {@code Transport.send} on an
     * injected {@code jakarta.mail.Session} whose definition names the transport {@code cmtp}
     * and the server's own pooled connections. alice decrypts what arrives; the recipient
     * without a key comes back as invalid, as Jakarta Mail's contract says.
     */
    private void sendsWithTransportSendOnAMailSession(AppServer server) throws Exception {
        AppServer.awaitPort("127.0.0.1", cmtpPort(), Duration.ofSeconds(120));
        AdminClient admin = new AdminClient(server.http(), "admin", ADMIN_PASSWORD);
        byte[] serverKey = HexFormat.of().parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
        admin.createAccount("carol", "carol's password");
        List<String> before = messageIds(admin);
        byte[] order = {'%', 'P', 'D', 'F', 0, (byte) 0xFF, 42};
        JsonObject request = Json.createObjectBuilder()
                .add("from", "carol@" + DOMAIN)
                .add("to", Json.createArrayBuilder().add("alice@" + DOMAIN).add("nobody@" + DOMAIN))
                .add("subject", "Order 4711 from " + name())
                .add("text", "Sent with Transport.send on " + name() + ".")
                .add("attachments", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "order.pdf").add("base64", Base64.getEncoder().encodeToString(order))))
                .build();
        AdminClient.Reply reply = AdminClient.anonymous(server.http()).post("/sample/mail-session/send",
                request.toString());
        assertEquals(200, reply.status(), reply.body());
        JsonObject answer = reply.json().asJsonObject();
        assertEquals(List.of("alice@" + DOMAIN), strings(answer.getJsonArray("sent")), answer.toString());
        assertEquals(List.of("nobody@" + DOMAIN), strings(answer.getJsonArray("invalid")), answer.toString());

        Ed25519KeyPair alice;
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress("127.0.0.1", cmtpPort()),
                Duration.ofSeconds(30), Duration.ofSeconds(30))) {
            alice = client.login("alice", serverKey).open("alice's password".toCharArray());
        }
        List<String> arrived = messageIds(admin);
        arrived.removeAll(before);
        assertEquals(1, arrived.size(), "one new message in alice's mailbox: " + arrived);
        ReceivedMail mail = ReceivedMail.open(admin.getBytes("/api/accounts/alice/messages/" + arrived.get(0) + "/raw"),
                alice);
        assertEquals("Order 4711 from " + name(), mail.body().subject());
        assertEquals(new MailAddress("carol", DOMAIN), mail.message().source());
        assertEquals("Sent with Transport.send on " + name() + ".", mail.body().text());
        assertEquals(1, mail.attachments().size());
        assertEquals("order.pdf", mail.attachments().get(0).fileName());
        assertArrayEquals(order, mail.attachments().get(0).data());
    }

    private static List<String> messageIds(AdminClient admin) throws Exception {
        JsonArray messages = admin.get("/api/accounts/alice/messages").json().asJsonArray();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ids.add(messages.getJsonObject(i).getJsonNumber("id").toString());
        }
        return ids;
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
