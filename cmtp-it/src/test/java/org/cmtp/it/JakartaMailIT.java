package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.activation.DataHandler;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.event.TransportListener;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Jakarta Mail transport provider ({@code cmtp-mail}) against a real server: Angus Mail
 * in this JVM with the provider found the way Jakarta Mail finds providers; the sample
 * application on the server sending with {@code Transport.send} on its
 * {@code @MailSessionDefinition} session through the adapter's pool; and a Java SE program
 * in a process of its own with only Angus Mail and {@code cmtp-mail-all.jar}. Every check
 * of what arrived opens the stored bytes with the recipient's own key pair.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JakartaMailIT {

    private static final String DOMAIN = "mailprov.test";
    private static final String HOST = "127.0.0.91";
    /** Ports of this run (FreePorts). */
    private static final int CMTP_PORT = FreePorts.take();

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();
    /** Outside the relay networks of this server (127.0.0.1 only): may not write as our users. */
    private static final String OUTSIDER = "127.0.0.92";
    private static final String ADMIN_PASSWORD = "pw-mailprov";
    /** Advertised as SIZE: a larger message is stopped by the client before MAIL. */
    private static final int MAX_MESSAGE_SIZE = 1 << 20;
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol", "dave");

    private LaunchedServer server;
    private AdminClient admin;
    private byte[] serverKey;
    private final Map<String, Ed25519KeyPair> keys = new HashMap<>();

    @BeforeAll
    void startServer() throws Exception {
        Path war = Path.of(System.getProperty("it.micro.dir", "target/micro"), "sample.war").toAbsolutePath();
        assertTrue(Files.exists(war), war + " is built by cmtp-samples/mail-app and copied by this module");
        server = servers.newServer("mailprov-server", HOST, CMTP_PORT, DOMAIN, ADMIN_PASSWORD)
                .with("CMTP_APPS", war.toString())
                .with("SAMPLE_PASSWORD_ORDERS", "orders' password 1")
                .with("CMTP_RELAY_NETWORKS", "127.0.0.1/32,::1/128")
                .with("CMTP_MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_SIZE));
        servers.start(server);
        admin = server.admin();
        serverKey = server.serverKey();
        try (CmtpClient client = CmtpClient.connect(new InetSocketAddress(HOST, CMTP_PORT), Duration.ofSeconds(30),
                Duration.ofSeconds(30))) {
            for (String account : ACCOUNTS) {
                String password = account + "'s password 1";
                admin.createAccount(account, password);
                keys.put(account, client.login(account, serverKey).open(password.toCharArray()));
            }
        }
    }

    @Test
    void aMultipartMailWithAttachmentsReachesToCcAndBccAndNobodyLearnsOfTheBcc() throws Exception {
        byte[] report = new byte[5000];
        new Random(18).nextBytes(report);
        MimeMessage message = new MimeMessage(session(Map.of("mail.cmtp.serverkey", HexFormat.of().formatHex(serverKey))));
        message.setFrom(new InternetAddress("alice@" + DOMAIN));
        message.setRecipients(RecipientType.TO, "bob@" + DOMAIN);
        message.setRecipients(RecipientType.CC, "carol@" + DOMAIN);
        message.setRecipients(RecipientType.BCC, "dave@" + DOMAIN);
        message.setReplyTo(InternetAddress.parse("orders@" + DOMAIN));
        message.setSubject("Quartalsbericht Q4", "UTF-8");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Hello Bob,\nthe report is attached.\n", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Hello <b>Bob</b>,</p><p>the report is attached.</p>", "text/html; charset=UTF-8");
        MimeBodyPart alternatives = new MimeBodyPart();
        alternatives.setContent(new MimeMultipart("alternative", plain, html));
        MimeBodyPart binary = attachment("report.bin", report, "application/octet-stream");
        MimeBodyPart notes = attachment("Übersicht.txt", "Umsatz: 4711 €\n".getBytes(StandardCharsets.UTF_8),
                "text/plain; charset=UTF-8");
        message.setContent(new MimeMultipart(alternatives, binary, notes));

        Transport.send(message); // static: mail.transport.protocol.rfc822=cmtp

        for (String account : List.of("bob", "carol", "dave")) {
            ReceivedMail mail = opened(account, "Quartalsbericht Q4");
            assertEquals(new MailAddress(account, DOMAIN), mail.message().destination());
            assertEquals(new MailAddress("alice", DOMAIN), mail.message().source());
            assertEquals("orders@" + DOMAIN, mail.body().replyTo());
            assertEquals("Hello Bob,\nthe report is attached.\n", mail.body().text(),
                    "the text/plain alternative, not the HTML one");
            assertEquals(List.of(new MailAddress("carol", DOMAIN)), mail.body().carbonCopies(),
                    account + " sees the Cc list, and no Bcc in it");
            assertEquals(List.of("report.bin", "Übersicht.txt"), mail.attachments().stream().map(Attachment::fileName).toList());
            assertArrayEquals(report, mail.attachments().get(0).data());
            assertEquals("Umsatz: 4711 €\n", new String(mail.attachments().get(1).data(), StandardCharsets.UTF_8));
            assertFalse(mail.body().text().contains("dave") || mail.body().replyTo().contains("dave"),
                    "dave's address is nowhere in what " + account + " reads");
        }
        assertEquals(List.of(), mailbox("alice"), "the sender is sent nothing");
    }

    @Test
    void anHtmlOnlyMailArrivesAsItsText() throws Exception {
        MimeMessage message = new MimeMessage(session(Map.of()));
        message.setFrom(new InternetAddress("alice@" + DOMAIN));
        message.setRecipients(RecipientType.TO, "bob@" + DOMAIN);
        message.setSubject("HTML only");
        message.setContent("<html><head><style>p{color:red}</style></head><body><h1>Order</h1>"
                + "<p>Tea &amp; biscuits</p><ul><li>one</li><li>two</li></ul></body></html>", "text/html; charset=UTF-8");
        Transport.send(message);

        ReceivedMail mail = opened("bob", "HTML only");
        assertEquals("Order\n\nTea & biscuits\n\n- one\n- two", mail.body().text());
        assertEquals(List.of(), mail.attachments());
        assertEquals("alice@" + DOMAIN, mail.body().replyTo(), "no Reply-To: the sender");
    }

    @Test
    void eachRecipientIsReportedOnItsOwnAndTheListenersHearOfIt() throws Exception {
        Session session = session(Map.of());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@" + DOMAIN));
        message.setRecipients(RecipientType.TO, "bob@" + DOMAIN + ", nobody@" + DOMAIN + ", \"a/b\"@" + DOMAIN);
        message.setSubject("Partly");
        message.setText("for whom it may reach");
        message.saveChanges();
        List<TransportEvent> events = new CopyOnWriteArrayList<>();
        SendFailedException failed;
        TransportEvent event;
        try (Transport transport = session.getTransport("cmtp")) {
            transport.addTransportListener(listener(events));
            transport.connect();
            failed = assertThrows(SendFailedException.class,
                    () -> transport.sendMessage(message, message.getAllRecipients()));
            event = awaitEvent(events); // before close: closing may drop events not yet delivered
        }
        assertEquals(List.of("bob@" + DOMAIN), addresses(failed.getValidSentAddresses()));
        assertEquals(List.of(), addresses(failed.getValidUnsentAddresses()));
        assertEquals(List.of("\"a/b\"@" + DOMAIN, "nobody@" + DOMAIN), addresses(failed.getInvalidAddresses()),
                "not a mailbox (found before sending), then no key");
        assertTrue(failed.getMessage().contains("nobody@" + DOMAIN + ": no key (KEYNOTAVAILABLE)"), failed.getMessage());
        assertTrue(failed.getMessage().contains("\"a/b\"@" + DOMAIN + ": not a CMTP mailbox (account contains '/')"),
                failed.getMessage());
        assertTrue(failed.getNextException() instanceof SendFailedException, "one exception per failed address");

        assertEquals(TransportEvent.MESSAGE_PARTIALLY_DELIVERED, event.getType());
        assertEquals(List.of("bob@" + DOMAIN), addresses(event.getValidSentAddresses()));
        assertEquals(2, event.getInvalidAddresses().length);
        assertEquals("for whom it may reach", opened("bob", "Partly").body().text());
    }

    @Test
    void aRefusedMessageIsValidUnsentWithTheReason() throws Exception {
        // From outside the relay networks nobody may write as our users: DELIVERYFAILURE (§7)
        Session session = session(Map.of("mail.cmtp.localaddress", OUTSIDER));
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@" + DOMAIN));
        message.setRecipients(RecipientType.TO, "bob@" + DOMAIN + ", nobody@" + DOMAIN);
        message.setSubject("Refused");
        message.setText("not from here");
        message.saveChanges();
        int before = mailbox("bob").size();
        List<TransportEvent> events = new CopyOnWriteArrayList<>();
        SendFailedException failed;
        TransportEvent event;
        try (Transport transport = session.getTransport(new InternetAddress("bob@" + DOMAIN))) {
            transport.addTransportListener(listener(events));
            transport.connect();
            failed = assertThrows(SendFailedException.class,
                    () -> transport.sendMessage(message, message.getAllRecipients()));
            event = awaitEvent(events);
        }
        assertEquals(List.of(), addresses(failed.getValidSentAddresses()));
        assertEquals(List.of("bob@" + DOMAIN), addresses(failed.getValidUnsentAddresses()));
        assertEquals(List.of("nobody@" + DOMAIN), addresses(failed.getInvalidAddresses()));
        assertTrue(failed.getMessage().contains("bob@" + DOMAIN + ": the server refused the message (DELIVERYFAILURE)"),
                failed.getMessage());
        assertEquals(TransportEvent.MESSAGE_NOT_DELIVERED, event.getType());
        assertEquals(before, mailbox("bob").size());
    }

    @Test
    void aSendStoppedPartWayLeavesTheRestValidUnsentAndTheTransportSendsTheNextMessage() throws Exception {
        Session session = session(Map.of());
        MimeMessage tooLarge = new MimeMessage(session);
        tooLarge.setFrom(new InternetAddress("alice@" + DOMAIN));
        tooLarge.setRecipients(RecipientType.TO, "bob@" + DOMAIN + ", carol@" + DOMAIN);
        tooLarge.setSubject("Too large");
        tooLarge.setContent(new MimeMultipart(attachment("big.bin", new byte[MAX_MESSAGE_SIZE + 1],
                "application/octet-stream")));
        tooLarge.saveChanges();
        MimeMessage small = new MimeMessage(session);
        small.setFrom(new InternetAddress("alice@" + DOMAIN));
        small.setRecipients(RecipientType.TO, "carol@" + DOMAIN);
        small.setSubject("Small after large");
        small.setText("fits");
        small.saveChanges();
        int before = mailbox("bob").size();
        List<TransportEvent> events = new CopyOnWriteArrayList<>();
        try (Transport transport = session.getTransport("cmtp")) {
            transport.addTransportListener(listener(events));
            transport.connect();
            SendFailedException failed = assertThrows(SendFailedException.class,
                    () -> transport.sendMessage(tooLarge, tooLarge.getAllRecipients()));
            assertEquals(List.of(), addresses(failed.getValidSentAddresses()));
            assertEquals(List.of("bob@" + DOMAIN, "carol@" + DOMAIN), addresses(failed.getValidUnsentAddresses()));
            assertEquals(List.of(), addresses(failed.getInvalidAddresses()));
            assertTrue(failed.getMessage().contains("bob@" + DOMAIN + ": not sent (") && failed.getMessage()
                    .contains("SIZE"), failed.getMessage());
            assertEquals(TransportEvent.MESSAGE_NOT_DELIVERED, awaitEvent(events).getType());

            events.clear();
            transport.sendMessage(small, small.getAllRecipients());
            assertEquals(TransportEvent.MESSAGE_DELIVERED, awaitEvent(events).getType());
        }
        assertEquals(before, mailbox("bob").size(), "nothing too large was sent");
        assertEquals("fits", opened("carol", "Small after large").body().text());
    }

    @Test
    void aServerWithAnotherKeyThanThePinnedOneAndAnOverlongSubjectAreRefusedBeforeSending() throws Exception {
        byte[] other = serverKey.clone();
        other[0] ^= 1;
        MimeMessage message = new MimeMessage(session(Map.of("mail.cmtp.serverkey", HexFormat.of().formatHex(other))));
        message.setFrom(new InternetAddress("alice@" + DOMAIN));
        message.setRecipients(RecipientType.TO, "bob@" + DOMAIN);
        message.setSubject("Never");
        message.setText("must not be sent");
        int before = mailbox("bob").size();
        MimeMessage longSubject = new MimeMessage(session(Map.of()));
        longSubject.setFrom(new InternetAddress("alice@" + DOMAIN));
        longSubject.setRecipients(RecipientType.TO, "bob@" + DOMAIN);
        longSubject.setSubject("ü".repeat(128), "UTF-8");
        longSubject.setText("a subject of 256 UTF-8 bytes");
        SendFailedException tooLong = assertThrows(SendFailedException.class, () -> Transport.send(longSubject));
        assertTrue(tooLong.getMessage().startsWith("cannot send this message with CMTP: subject is 256 UTF-8 bytes"),
                tooLong.getMessage());
        assertEquals(List.of("bob@" + DOMAIN), addresses(tooLong.getValidUnsentAddresses()));

        MessagingException refused = assertThrows(MessagingException.class, () -> Transport.send(message));
        assertTrue(refused.getMessage().contains("presented the key " + HexFormat.of().formatHex(serverKey)
                + ", not the one pinned by mail.cmtp.serverkey"), refused.getMessage());
        assertEquals(before, mailbox("bob").size(), "nothing was sent");
    }

    @Test
    void theSampleApplicationSendsWithTransportSendOnItsMailSession() throws Exception {
        byte[] order = "4711: 2 x tea\n".getBytes(StandardCharsets.UTF_8);
        JsonObject request = Json.createObjectBuilder()
                .add("from", "carol@" + DOMAIN)
                .add("to", Json.createArrayBuilder().add("bob@" + DOMAIN).add("nobody@" + DOMAIN))
                .add("bcc", Json.createArrayBuilder().add("dave@" + DOMAIN))
                .add("subject", "Order 4711 via Jakarta Mail")
                .add("text", "Two boxes of tea, please.\nCarol")
                .add("attachments", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "order.txt").add("base64", Base64.getEncoder().encodeToString(order))))
                .build();
        AdminClient.Reply reply = AdminClient.anonymous(server.http()).post("/sample/mail-session/send",
                request.toString());
        assertEquals(200, reply.status(), reply.body() + "\nlog:\n" + server.log());
        JsonObject answer = reply.json().asJsonObject();
        assertEquals(List.of("bob@" + DOMAIN, "dave@" + DOMAIN), strings(answer.getJsonArray("sent")), answer.toString());
        assertEquals(List.of("nobody@" + DOMAIN), strings(answer.getJsonArray("invalid")), answer.toString());
        assertTrue(answer.getString("error").contains("nobody@" + DOMAIN + ": no key"), answer.toString());

        for (String account : List.of("bob", "dave")) {
            ReceivedMail mail = opened(account, "Order 4711 via Jakarta Mail");
            assertEquals(new MailAddress("carol", DOMAIN), mail.message().source());
            assertEquals("Two boxes of tea, please.\nCarol", mail.body().text());
            assertEquals(List.of(), mail.body().carbonCopies());
            assertEquals(1, mail.attachments().size());
            assertEquals("order.txt", mail.attachments().get(0).fileName());
            assertArrayEquals(order, mail.attachments().get(0).data());
        }
    }

    @Test
    void aJavaSeProgramWithOnlyAngusMailAndTheProviderJarSends() throws Exception {
        Path se = Path.of(System.getProperty("it.se.dir", "target/se")).toAbsolutePath();
        String classPath;
        try (Stream<Path> jars = Files.list(se)) {
            classPath = String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList());
        }
        assertEquals(List.of("angus-activation.jar", "angus-mail.jar", "cmtp-mail-all.jar", "jakarta.activation-api.jar",
                "jakarta.mail-api.jar"), Arrays.stream(classPath.split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString()).toList(), "exactly Angus Mail and the provider");
        Path program = Path.of(System.getProperty("it.repo.dir", "..")).resolve("cmtp-mail/src/example/SendWithCmtp.java");
        Path file = Files.write(se.resolveSibling("invoice.pdf"), new byte[] {'%', 'P', 'D', 'F', 0, (byte) 0xFF, 7});
        Path output = se.resolveSibling("se-program.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, program.toString(), HOST, Integer.toString(CMTP_PORT), "alice@" + DOMAIN,
                "bob@" + DOMAIN, file.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the program ends");
        String printed = Files.readString(output);
        assertEquals(0, process.exitValue(), printed);
        assertTrue(printed.contains("sent to [bob@" + DOMAIN + "]"), printed);

        ReceivedMail mail = opened("bob", "Sent from Java SE");
        assertEquals("Hello from a plain Java program.", mail.body().text());
        assertEquals("invoice.pdf", mail.attachments().get(0).fileName());
        assertArrayEquals(Files.readAllBytes(file), mail.attachments().get(0).data());
    }

    private Session session(Map<String, String> more) {
        Properties properties = new Properties();
        properties.put("mail.transport.protocol.rfc822", "cmtp");
        properties.put("mail.cmtp.host", HOST);
        properties.put("mail.cmtp.port", Integer.toString(CMTP_PORT));
        properties.put("mail.cmtp.timeout", "30000");
        properties.putAll(more);
        return Session.getInstance(properties);
    }

    private static MimeBodyPart attachment(String name, byte[] bytes, String type) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, type)));
        part.setFileName(name);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        return part;
    }

    /** The messages of {@code account}, newest first, each opened with the account's key pair. */
    private List<ReceivedMail> mailbox(String account) throws Exception {
        JsonArray stored = admin.get("/api/accounts/" + account + "/messages").json().asJsonArray();
        List<ReceivedMail> mails = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            byte[] raw = admin.getBytes("/api/accounts/" + account + "/messages/"
                    + stored.getJsonObject(i).getJsonNumber("id") + "/raw");
            mails.add(ReceivedMail.open(raw, keys.get(account)));
        }
        return mails;
    }

    /** The one message of {@code account} with {@code subject}, waited for (the server stores before it answers). */
    private ReceivedMail opened(String account, String subject) throws Exception {
        List<ReceivedMail> found = mailbox(account).stream().filter(m -> m.body().subject().equals(subject)).toList();
        assertEquals(1, found.size(), account + " has exactly one mail '" + subject + "'");
        return found.get(0);
    }

    private static TransportListener listener(List<TransportEvent> events) {
        return new TransportListener() {
            @Override
            public void messageDelivered(TransportEvent e) {
                events.add(e);
            }

            @Override
            public void messageNotDelivered(TransportEvent e) {
                events.add(e);
            }

            @Override
            public void messagePartiallyDelivered(TransportEvent e) {
                events.add(e);
            }
        };
    }

    /**
     * Jakarta Mail delivers events on a thread of its own, which closing the transport may
     * stop before it ran: wait while the transport is open.
     */
    private static TransportEvent awaitEvent(List<TransportEvent> events) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (events.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(1, events.size(), "one event per message");
        return events.get(0);
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of()
                : Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
