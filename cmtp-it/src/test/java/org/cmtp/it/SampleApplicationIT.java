package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.cmtp.client.CmtpClient;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.protocol.StatusWord;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.CommandLineClient;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application beside the server, as the README describes it: the sample WAR
 * ({@code cmtp-samples/mail-app}) deployed with {@code CMTP_APPS} by {@code ./cmtp-server}.
 * Its MDB listens for the account {@code orders} and opens each message with the account's
 * keys; its REST resource sends through its own injected connection factory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the user API test last: the others count what the bean opened
class SampleApplicationIT {

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "sample.test";
    private static final String ADMIN_PASSWORD = "pw-sample";
    private static final String ORDERS_PASSWORD = "orders' password 1";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private LaunchedServer server;
    private AdminClient admin;
    private AdminClient sample;

    @BeforeAll
    void startServerWithTheSample() throws Exception {
        Path war = Path.of(System.getProperty("it.micro.dir", "target/micro"), "sample.war").toAbsolutePath();
        assertTrue(Files.exists(war), war + " is built by cmtp-samples/mail-app and copied by this module");
        server = servers.newServer("sample-server", DOMAIN, ADMIN_PASSWORD)
                .with("CMTP_APPS", war.toString())
                .with("SAMPLE_PASSWORD_ORDERS", ORDERS_PASSWORD);
        servers.start(server);
        admin = server.admin();
        sample = AdminClient.anonymous(server.http());
        admin.createAccount("orders", ORDERS_PASSWORD);
        admin.createAccount("carol", "carol's password 2");
    }

    @Test
    void theApplicationsMdbOpensTheMailOfItsAccountAndTheMailboxKeepsIt() throws Exception {
        assertTrue(server.log().contains("CMTP mail of orders goes to application endpoint org.cmtp.sample.OrdersMailBean"),
                "the adapter took the sample's activation");

        // Mail for another account first, and a message the bean cannot open: had the first
        // been handed to the bean, it would have arrived before the last (one queue per bean).
        assertEquals(List.of("SUCCESS"), send("orders@" + DOMAIN, "carol@" + DOMAIN, "For Carol", "not for the app", null));
        long broken = sendUnreadable();
        assertEquals(List.of("SUCCESS"), send("carol@" + DOMAIN, "orders@" + DOMAIN, "Order 4711",
                "Two boxes of tea, please.\nCarol", "order.txt"));

        JsonArray received = awaitReceived(1);
        assertEquals(1, received.size(), "only the mail of orders, and only what it could open: " + received);
        JsonObject opened = received.getJsonObject(0);
        assertEquals("orders", opened.getString("account"));
        assertEquals("carol@" + DOMAIN, opened.getString("sender"));
        assertEquals("Order 4711", opened.getString("subject"));
        assertEquals("Two boxes of tea, please.\nCarol", opened.getString("text"));
        assertEquals(List.of("order.txt"), opened.getJsonArray("attachments").getValuesAs(
                jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());

        JsonArray stored = admin.get("/api/accounts/orders/messages").json().asJsonArray();
        assertEquals(2, stored.size(), "the server's mailbox has both messages for orders: " + stored);
        assertEquals(opened.getJsonNumber("mailboxId").longValue(), stored.getJsonObject(0).getJsonNumber("id")
                .longValue(), "the bean got the stored message the mailbox lists");
        assertEquals(broken, stored.getJsonObject(1).getJsonNumber("id").longValue());
        assertFalse(admin.get("/api/accounts/carol/messages").json().asJsonArray().isEmpty());

        String log = server.log();
        assertTrue(log.contains("failed on message " + broken + " for account 'orders' from carol@" + DOMAIN + ": "),
                "the bean's failure is logged with account and cause:\n" + log);
        // Handed to the bean, carol's mail would have failed (no password for carol) and been
        // logged before the order was opened.
        assertFalse(log.contains("for account 'carol'"), "carol's mail went to no application:\n" + log);
    }

    @Test
    void sendingToAnUnknownRecipientIsReportedPerRecipient() throws Exception {
        assertEquals(List.of("SUCCESS", "KEYNOTAVAILABLE"),
                send("orders@" + DOMAIN, "carol@" + DOMAIN + ",nobody@" + DOMAIN, "Hello", "from the app", null));
        assertEquals(400, sample.post("/sample/send", "{\"from\":\"nobody\",\"to\":\"carol@" + DOMAIN + "\"}").status());
    }

    /** POST /sample/send; the receipts' status words. */
    private List<String> send(String from, String to, String subject, String text, String attachment) throws Exception {
        var request = Json.createObjectBuilder().add("from", from).add("to", to).add("subject", subject).add("text", text);
        if (attachment != null) {
            request.add("attachments", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("name", attachment).add("text", "4711: 2 x tea")));
        }
        AdminClient.Reply reply = sample.post("/sample/send", request.build().toString());
        assertEquals(200, reply.status(), reply.body());
        return reply.json().asJsonObject().getJsonArray("receipts").stream()
                .map(r -> r.asJsonObject().getString("status")).toList();
    }

    /**
     * A version-0 message to orders whose body is not a plaintext body: the server stores it
     * (it does not read bodies), the sample bean fails to open it.
     *
     * @return its mailbox id
     */
    private long sendUnreadable() throws Exception {
        byte[] serverKey = server.serverKey();
        byte[] raw = new Message(Message.PLAINTEXT, new MailAddress("orders", DOMAIN), new MailAddress("carol", DOMAIN),
                "", "no fields in here".getBytes(StandardCharsets.UTF_8), List.of()).encode();
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(server.host(), server.cmtpPort()),
                Duration.ofSeconds(30), Duration.ofSeconds(30))) {
            assertEquals(StatusWord.SUCCESS, client.mail(raw, ProofOfWork.none(), serverKey).word());
        }
        return admin.get("/api/accounts/orders/messages").json().asJsonArray().getJsonObject(0).getJsonNumber("id")
                .longValue();
    }

    /**
     * Mail a signed-in user submits through the user API (here with the {@code cmtp} CLI,
     * which seals it on the user's side) reaches the application listening for the account
     * just as MAIL does, not only the mailbox.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void mailSubmittedThroughTheUserApiReachesTheListeningApplicationToo() throws Exception {
        admin.createAccount("dave", "dave's password 3");
        int before = sample.get("/sample/received").json().asJsonArray().size();
        Path config = Files.createTempDirectory("sample-cli");
        java.util.Map<String, String> environment = java.util.Map.of("CMTP_CONFIG_DIR", config.toString(),
                "CMTP_PASSWORD", "dave's password 3");
        String[] global = {"--server", "127.0.0.1:" + server.cmtpPort(), "--api", server.http().toString()};
        CommandLineClient.Run signin = CommandLineClient.run(environment, global, "signin", "dave@" + DOMAIN);
        assertEquals(0, signin.exit(), signin.toString());
        CommandLineClient.Run sent = CommandLineClient.run(environment, global, "send", "--from", "dave@" + DOMAIN,
                "--to", "orders@" + DOMAIN, "--subject", "Order 4712 through the user API", "--text", "One teapot.");
        assertEquals(0, sent.exit(), sent.toString());
        assertTrue(sent.out().startsWith("SUCCESS orders@" + DOMAIN), sent.toString());

        JsonObject opened = awaitReceived(before + 1).getJsonObject(before);
        assertEquals("dave@" + DOMAIN, opened.getString("sender"));
        assertEquals("Order 4712 through the user API", opened.getString("subject"));
        assertEquals("One teapot.", opened.getString("text"));
    }

    private JsonArray awaitReceived(int count) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonArray received;
        do {
            AdminClient.Reply reply = sample.get("/sample/received");
            assertEquals(200, reply.status(), reply.body());
            received = reply.json().asJsonArray();
            if (received.size() >= count) {
                return received;
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the sample opened " + received + " within " + WAIT + "; log:\n" + server.log());
    }
}
