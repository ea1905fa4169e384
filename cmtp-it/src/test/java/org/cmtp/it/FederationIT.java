package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.protocol.StatusWord;
import org.cmtp.server.dns.LoopbackDnsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two domains talking: alpha.test on 127.0.0.2 and beta.test on 127.0.0.3, both on one
 * port chosen per run (the domains' CMTP port, {@code CMTP_MX_PORT}: not 9001, so that a
 * server an operator runs here does not collide), found through MX records served by a real DNS
 * server on loopback. Mail and keys
 * cross between them; beta goes down and comes back; beta's key changes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {

    private static final String ZONES = """
            $TTL 60
            @ IN SOA ns.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
            @ IN NS ns.%1$s.
            @ IN MX 10 mx.%1$s.
            ns IN A 127.0.0.1
            mx IN A %2$s
            """;
    private static final MailAddress ALICE = new MailAddress("alice", "alpha.test");
    private static final MailAddress BOB = new MailAddress("bob", "beta.test");

    /** The CMTP port of both domains, which their MX records lead to. */
    private static final int CMTP_PORT = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static LoopbackDnsServer dns;
    private static LaunchedServer alpha;
    private static LaunchedServer beta;
    private static AdminClient alphaAdmin;
    private static AdminClient betaAdmin;

    @BeforeAll
    static void startDomains() throws Exception {
        dns = servers.manage(LoopbackDnsServer.start(LoopbackDnsServer.zone("alpha.test.", ZONES.formatted("alpha.test", "127.0.0.2")),
                LoopbackDnsServer.zone("beta.test.", ZONES.formatted("beta.test", "127.0.0.3"))));
        Path sample = Path.of(System.getProperty("it.micro.dir", "target/micro"), "sample.war").toAbsolutePath();
        alpha = domain("alpha.test", "127.0.0.2").with("CMTP_APPS", sample.toString());
        beta = domain("beta.test", "127.0.0.3");
        servers.start(alpha, beta);
        alphaAdmin = alpha.admin();
        betaAdmin = beta.admin();
        alphaAdmin.createAccount("alice", "alice's password");
        betaAdmin.createAccount("bob", "bob's password");
    }

    private static LaunchedServer domain(String name, String address) throws java.io.IOException {
        String dataDir = "federation-" + name.substring(0, name.indexOf('.'));
        return servers.newServer(dataDir, address, CMTP_PORT, name, name.equals("alpha.test") ? "pw-alpha" : "pw-beta")
                .with("CMTP_DNS_SERVERS", dns.hostAndPort())
                .with("CMTP_MX_PORT", Integer.toString(CMTP_PORT))
                // The MX records point at loopback, which the relay dials only when told to.
                .with("CMTP_DIAL_NETWORKS", "127.0.0.2/32,127.0.0.3/32")
                .with("CMTP_RETRY_INITIAL", "2")
                .with("CMTP_RETRY_MAX", "4")
                .with("CMTP_KEY_CACHE_TTL", "1")
                .with("CMTP_RELAY_NETWORKS", "127.0.0.1/32");
    }

    /** The sample application on alpha sends through its injected {@code CmtpConnectionFactory}. */
    @Test
    @Order(1)
    void anApplicationOnAlphaSendsToBetaAndBobOpensItWithHisPassword() throws Exception {
        AdminClient.Reply sent = AdminClient.anonymous(alpha.http()).post("/sample/send", Json.createObjectBuilder()
                .add("from", ALICE.toString()).add("to", BOB.toString())
                .add("subject", "across domains").add("text", "hello bob, from alpha")
                .add("attachments", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "notes.txt").add("text", "attached bytes")))
                .build().toString());
        assertEquals(200, sent.status(), sent.body());
        assertEquals("SUCCESS", sent.json().asJsonObject().getJsonArray("receipts").getJsonObject(0)
                .getString("status"), "alpha queued it: " + sent.body());

        JsonObject stored = awaitOneMessage(betaAdmin, "bob", 1);
        byte[] raw = betaAdmin.getBytes("/api/accounts/bob/messages/" + stored.getJsonNumber("id") + "/raw");
        ReceivedMail opened = ReceivedMail.open(raw, bobsKeys());
        assertEquals("across domains", opened.body().subject());
        assertEquals("hello bob, from alpha", opened.body().text());
        assertEquals("notes.txt", opened.attachments().get(0).fileName());
        assertArrayEquals("attached bytes".getBytes(StandardCharsets.UTF_8), opened.attachments().get(0).data());
        String log = opened.message().log();
        assertTrue(log.contains(" alpha.test accepted from 127.0.0.1\n") && log.contains(" beta.test accepted from"),
                "both servers logged it: " + log);
        assertEquals(0, alphaAdmin.get("/api/queue").json().asJsonArray().size(), "alpha's queue is empty again");
        JsonArray pins = alphaAdmin.get("/api/known-servers").json().asJsonArray();
        assertEquals("beta.test", pins.getJsonObject(0).getString("domain"), "alpha pinned beta's key");
    }

    /** The same through the plain-Java client, as a tool outside any container sends. */
    @Test
    @Order(2)
    void aPlainClientSendsThroughAlphaToo() throws Exception {
        List<Receipt> receipts = sendToBob("from a tool", "plain client",
                new Attachment("a.bin", new byte[] {1, 2, 3}));
        assertEquals(StatusWord.SUCCESS, receipts.get(0).status(), receipts.toString());
        awaitOneMessage(betaAdmin, "bob", 2);
    }

    @Test
    @Order(3)
    void whileBetaIsDownMailWaitsInAlphasQueueAndIsDeliveredOnceWhenItReturns() throws Exception {
        String bobKey = betaAdmin.get("/api/accounts/bob").json().asJsonObject().getString("publicKey");
        beta.close();
        List<Receipt> receipts = sendToBobDirectly(bobKey, "while beta is down");
        assertEquals(StatusWord.SUCCESS, receipts.get(0).status());
        Await.until(() -> queued(alphaAdmin) != null && queued(alphaAdmin).getInt("attempts") >= 2,
                Duration.ofSeconds(60), "attempts counting on alpha's queue");
        JsonObject waiting = queued(alphaAdmin);
        assertEquals("bob@beta.test", waiting.getString("recipient"));
        assertNotNull(waiting.getString("lastError", null));

        beta.start();
        awaitOneMessage(betaAdmin, "bob", 3);
        Await.until(() -> queued(alphaAdmin) == null, Duration.ofSeconds(60), "alpha's queue drained");
        alpha.awaitRelayRounds(2, Duration.ofSeconds(60)); // the worker's chance to deliver it twice
        assertEquals(3, betaAdmin.get("/api/accounts/bob/messages").json().asJsonArray().size());
    }

    @Test
    @Order(4)
    void anUntrustedClientCannotRelayThroughAlpha() throws Exception {
        MailBytes mail = MailBytes.to("bob", "beta.test").from("mallory", "elsewhere.test").body(new byte[60]);
        byte[] alphaKey = alpha.serverKey();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.5"), 0)); // not in 127.0.0.1/32
            socket.connect(new InetSocketAddress("127.0.0.2", CMTP_PORT), 5000);
            RawCmtpConnection cmtp = new RawCmtpConnection(socket);
            cmtp.readText();
            Replies.expectStatus(cmtp.send(mail.command()), "DELIVERYFAILURE",
                    org.cmtp.sodium.Libsodium.genericHash(64, mail.message()), alphaKey);
        }
        assertEquals(0, alphaAdmin.get("/api/queue").json().asJsonArray().size(), "nothing was queued");
    }

    @Test
    @Order(5)
    void whenBetasKeyChangesAlphaRefusesItUntilThePinIsForgotten() throws Exception {
        String oldKey = HexFormat.of().formatHex(beta.serverKey());
        beta.close();
        // a new installation: a new key
        beta = domain("beta.test", "127.0.0.3");
        beta.start();
        betaAdmin = beta.admin();
        betaAdmin.createAccount("bob", "bob's password");

        // Alpha answers from its key cache (1 s) until it asks beta again and meets the new key.
        byte[] alphaKey = alpha.serverKey();
        Await.until(() -> refusesBobsKey(alphaKey), Duration.ofSeconds(30), "alpha refusing bob's key from the new beta");
        JsonObject pin = alphaAdmin.get("/api/known-servers").json().asJsonArray().getJsonObject(0);
        assertEquals(oldKey, pin.getString("publicKey"), "the old pin stays");
        assertEquals(HexFormat.of().formatHex(beta.serverKey()), pin.getString("offeredKey"),
                "the refused key is shown to the operator");

        assertEquals(204, alphaAdmin.delete("/api/known-servers/beta.test").status());
        try (RawCmtpConnection cmtp = alpha.connect()) {
            cmtp.readText();
            byte[] bobKey = Replies.expectKey(cmtp.send("KEYREQUEST\0bob\0beta.test\0"), alpha.serverKey());
            assertEquals(betaAdmin.get("/api/accounts/bob").json().asJsonObject().getString("publicKey"),
                    HexFormat.of().formatHex(bobKey), "relayed after the pin was forgotten");
        }
    }

    // --- helpers ---

    private static List<Receipt> sendToBob(String subject, String text, Attachment... attachments) throws Exception {
        try (CmtpClient home = CmtpClient.connect(new InetSocketAddress("127.0.0.2", CMTP_PORT), Duration.ofSeconds(5),
                Duration.ofSeconds(30))) {
            MailSender sender = new MailSender(home, home.serverKey(), Clock.systemUTC());
            return sender.send(OutgoingMail.from(ALICE).to(BOB).subject(subject).text(text).attach(attachments).build());
        }
    }

    /** While beta is down alpha cannot relay bob's key, so the message is sealed to the key bob already has. */
    private static List<Receipt> sendToBobDirectly(String bobKeyHex, String subject) throws Exception {
        byte[] bobKey = HexFormat.of().parseHex(bobKeyHex);
        MailBytes mail = MailBytes.to("bob", "beta.test").from("alice", "alpha.test")
                .body(org.cmtp.sodium.Libsodium.boxSeal(("\0" + subject + "\0" + Instant.now() + "\0\0text")
                        .getBytes(StandardCharsets.UTF_8), org.cmtp.sodium.Libsodium.pkToCurve25519(bobKey)));
        try (CmtpClient home = CmtpClient.connect(new InetSocketAddress("127.0.0.2", CMTP_PORT), Duration.ofSeconds(5),
                Duration.ofSeconds(30))) {
            byte[] alphaKey = home.serverKey();
            StatusWord word = home.mail(mail.message(), MailBytes.ZERO_PROOF_OF_WORK, alphaKey).word();
            return List.of(new Receipt(BOB, word, new byte[64], new byte[64]));
        }
    }

    private static Ed25519KeyPair bobsKeys() throws Exception {
        try (CmtpClient betaClient = CmtpClient.connect(new InetSocketAddress("127.0.0.3", CMTP_PORT), Duration.ofSeconds(5),
                Duration.ofSeconds(30))) {
            return betaClient.login("bob", betaClient.serverKey()).open("bob's password".toCharArray());
        }
    }

    /** Whether alpha answers KEYREQUEST for bob with a KEYNOTAVAILABLE signed by alpha (not with a cached key). */
    private static boolean refusesBobsKey(byte[] alphaKey) {
        try (RawCmtpConnection cmtp = alpha.connect()) {
            cmtp.readText();
            Replies.expectStatus(cmtp.send("KEYREQUEST\0bob\0beta.test\0"), "KEYNOTAVAILABLE", new byte[0], alphaKey);
            return true;
        } catch (AssertionError | java.io.IOException e) {
            return false;
        }
    }

    private static JsonObject queued(AdminClient admin) {
        try {
            JsonArray queue = admin.get("/api/queue").json().asJsonArray();
            return queue.isEmpty() ? null : queue.getJsonObject(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject awaitOneMessage(AdminClient admin, String account, int count) throws Exception {
        Await.until(() -> {
            try {
                return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray().size() >= count;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60), count + " message(s) for " + account);
        return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray().getJsonObject(0);
    }

}
