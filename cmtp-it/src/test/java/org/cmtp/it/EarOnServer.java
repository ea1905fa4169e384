package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.AppServer;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.Test;

/**
 * {@code cmtp.ear} on a full application server, end to end as an operator does it: start
 * the server, make the data source with the server's own tool, deploy the EAR, then use
 * it: the admin API (401 without credentials, an account made over REST), a message
 * delivered over CMTP with its signed receipt, and the stored bytes read back over REST.
 * The resource adapter's inbound side (the CMTP listener bound to the domain's MDB) and
 * its outbound connection factory (a test message sent through it) must both work.
 * Each phase is timed and printed.
 */
abstract class EarOnServer {

    static final String DOMAIN = "ear.test";
    static final String ADMIN_PASSWORD = "ear-admin-password";

    /** The server under test, not yet started, working in {@code work}. */
    abstract AppServer server(Path work) throws Exception;

    abstract int cmtpPort();

    /** The server's readiness checks (MicroProfile Health), where the server serves them. */
    abstract void checkHealth(AppServer server) throws Exception;

    abstract String name();

    @Test
    void theEarServesCmtpAndTheAdminApi() throws Exception {
        Path servers = Path.of(System.getProperty("it.servers.dir"));
        Path ear = servers.resolve("cmtp.ear");
        assertTrue(Files.isRegularFile(ear), ear + " is built and copied by the profile");
        try (AppServer server = server(servers.resolve(name() + "-run"))) {
            server.timed("boot", server::start);
            server.timed("data source", server::createDataSource);
            server.timed("deploy", () -> server.deploy(ear));
            server.timed("checks", () -> servesMailAndAdminApi(server));
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
    }
}
