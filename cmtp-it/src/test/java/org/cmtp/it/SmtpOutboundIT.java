package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import org.cmtp.crypto.Blake2b;
import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.CommandLineClient;
import org.cmtp.it.support.CommandLineClient.Run;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PrivatePostfix;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.Replies;
import org.cmtp.it.support.WebmailPage;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.server.dns.LoopbackDnsServer;

/**
 * Outbound plaintext (issue 19 item 2, ADR 0028) with a real Postfix: alpha.test
 * (127.0.0.160) sends; cmtp.test (127.0.0.161, same CMTP port) speaks CMTP; smtp-only.test's
 * MX is 127.0.0.162, where nothing answers the CMTP port and a private Postfix listens for
 * SMTP and delivers to Maildirs. A loopback DNS server on 127.0.0.1 holds the three zones.
 * Ports are chosen per run ({@link FreePorts}). Needs root (Postfix).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmtpOutboundIT {

    private static final String ALPHA_HOST = "127.0.0.160";
    private static final String CMTP_HOST = "127.0.0.161";
    private static final String SMTP_ONLY_HOST = "127.0.0.162";
    private static final int CMTP_PORT = FreePorts.take();
    private static final int SMTP_PORT = FreePorts.take();
    private static final int QUEUE_LIFETIME = 25;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String ZONE = """
            $TTL 60
            @ IN SOA ns.%1$s. hostmaster.%1$s. 1 3600 600 86400 60
            @ IN NS ns.%1$s.
            ns IN A 127.0.0.1
            @ IN MX 10 mx
            mx IN A %2$s
            """;

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private LoopbackDnsServer dns;
    private PrivatePostfix postfix;
    private LaunchedServer alpha;
    private LaunchedServer cmtp;
    private AdminClient alphaAdmin;
    private AdminClient cmtpAdmin;
    private Path work;

    @BeforeAll
    void start() throws Exception {
        dns = servers.manage(LoopbackDnsServer.start(
                LoopbackDnsServer.zone("alpha.test.", ZONE.formatted("alpha.test", ALPHA_HOST)),
                LoopbackDnsServer.zone("cmtp.test.", ZONE.formatted("cmtp.test", CMTP_HOST)),
                LoopbackDnsServer.zone("smtp-only.test.", ZONE.formatted("smtp-only.test", SMTP_ONLY_HOST))));
        postfix = servers.manage(new PrivatePostfix("postfix-outbound", SMTP_ONLY_HOST + ":" + SMTP_PORT,
                Map.of("unused.test", "discard:"), "smtp-only.test", List.of("user"), List.of())).start();
        alpha = server("alpha.test", ALPHA_HOST, "outbound-alpha")
                .with("CMTP_SMTP_MX_PORT", Integer.toString(SMTP_PORT))
                .with("CMTP_RETRY_INITIAL", "2")
                .with("CMTP_RETRY_MAX", "4")
                .with("CMTP_QUEUE_LIFETIME", Integer.toString(QUEUE_LIFETIME));
        cmtp = server("cmtp.test", CMTP_HOST, "outbound-cmtp");
        servers.start(alpha, cmtp);
        alphaAdmin = alpha.admin();
        cmtpAdmin = cmtp.admin();
        alphaAdmin.createAccount("alice", "alice's password");
        cmtpAdmin.createAccount("bob", "bob's password");
        work = LaunchedServer.freshDataDir("outbound-cli");
        Files.createDirectories(work);
    }

    private LaunchedServer server(String domain, String host, String data) throws Exception {
        return servers.newServer(data, host, CMTP_PORT, domain, "pw-outbound")
                .with("CMTP_DNS_SERVERS", dns.hostAndPort())
                .with("CMTP_MX_PORT", Integer.toString(CMTP_PORT))
                .with("CMTP_DIAL_NETWORKS", "127.0.0.160/29")
                .with("CMTP_KEY_CACHE_TTL", "1");
    }

    @Test
    @Order(1)
    void withoutTheFlagNothingIsSentToAnyoneAndTheCliSaysWhy() throws Exception {
        Run send = cli("send", "--from", "alice@alpha.test", "--to", "bob@cmtp.test,user@smtp-only.test",
                "--subject", "not without the flag", "--text", "sealed or nothing");
        assertEquals(2, send.exit(), send.toString());
        assertTrue(send.err().contains("nothing sent") && send.err().contains("user@smtp-only.test")
                && send.err().contains("--allow-plaintext"), send.toString());
        // The CLI ends after the server's receipts: a message it had sent would be queued (or relayed) by now.
        assertEquals(0, occurrences(alpha.log(), "CMTP message queued"), "nothing queued at alpha");
        assertTrue(queue().isEmpty(), "alpha's queue: " + queue());
        assertEquals(0, count(cmtpAdmin, "bob"), "bob got nothing, though he has a key");
    }

    @Test
    @Order(2)
    void withTheFlagTheSmtpOnlyRecipientGetsAnRfc5322MessageAndTheOtherASealedOne() throws Exception {
        byte[] attachment = new byte[40_000];
        new Random(28).nextBytes(attachment);
        Path file = work.resolve("report.bin");
        Files.write(file, attachment);
        String text = "Hello,\nthis one is in the clear, on purpose. Grüße!\n";
        Run send = cli("send", "--from", "alice@alpha.test", "--to", "user@smtp-only.test,bob@cmtp.test",
                "--subject", "Grüße über SMTP", "--text", text, "--cc", "bob@cmtp.test", "--allow-plaintext",
                "--attach", file.toString());
        assertEquals(0, send.exit(), send.toString());
        String toUser = line(send.out(), "user@smtp-only.test");
        assertTrue(toUser.startsWith("SUCCESS") && toUser.contains("NOT encrypted"), send.toString());
        String toBob = line(send.out(), "bob@cmtp.test");
        assertTrue(toBob.startsWith("SUCCESS") && !toBob.contains("plaintext"), send.toString());

        Await.until(() -> maildir().size() == 1, TIMEOUT, "the message in user's Maildir; alpha's queue "
                + queue() + "; Postfix log:\n" + postfix.log());
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(maildir().get(0)));
        assertEquals("Grüße über SMTP", mime.getSubject());
        assertEquals(new InternetAddress("alice@alpha.test"), mime.getFrom()[0]);
        assertEquals(new InternetAddress("user@smtp-only.test"), mime.getRecipients(jakarta.mail.Message.RecipientType.TO)[0]);
        assertEquals(new InternetAddress("bob@cmtp.test"), mime.getRecipients(jakarta.mail.Message.RecipientType.CC)[0]);
        assertNotNull(mime.getSentDate(), "Date");
        assertTrue(mime.getMessageID().endsWith("@alpha.test>"), mime.getMessageID());
        MimeMultipart parts = (MimeMultipart) mime.getContent();
        assertEquals(2, parts.getCount());
        assertEquals(text, parts.getBodyPart(0).getContent());
        Part attached = parts.getBodyPart(1);
        assertEquals("report.bin", attached.getFileName());
        assertEquals(Part.ATTACHMENT, attached.getDisposition());
        assertArrayEquals(attachment, attached.getInputStream().readAllBytes(), "the attachment, byte for byte");
        assertTrue(alpha.log().contains("smtp=\"mx.smtp-only.test (" + SMTP_ONLY_HOST + ":" + SMTP_PORT + ")\""),
                "the relayed line names the SMTP host");

        // bob has a key: his copy went over CMTP, sealed
        Await.until(() -> count(cmtpAdmin, "bob") == 1, TIMEOUT, "bob's sealed copy");
        assertEquals(Message.SEALED, stored(cmtpAdmin, "bob", 0).version(), "bob's copy is sealed");
        Await.until(() -> queue().isEmpty(), TIMEOUT, "alpha's queue empty");
    }

    @Test
    @Order(3)
    void aPlaintextMessageToADomainThatSpeaksCmtpGoesOverCmtp() throws Exception {
        int bobBefore = count(cmtpAdmin, "bob");
        String postfixBefore = postfix.log();
        PlaintextBody body = new PlaintextBody("", "plaintext, over CMTP", "2026-12-05T09:00:00Z", List.of(),
                "cmtp.test has a CMTP server: this goes there, not to an SMTP host");
        MailBytes mail = MailBytes.to("bob", "cmtp.test").from("alice", "alpha.test").version(Message.PLAINTEXT)
                .body(body.encode());
        send(mail);
        Await.until(() -> count(cmtpAdmin, "bob") == bobBefore + 1, TIMEOUT, "bob's plaintext message over CMTP");
        Message stored = stored(cmtpAdmin, "bob", 0);
        assertEquals(Message.PLAINTEXT, stored.version());
        assertEquals("plaintext, over CMTP", PlaintextBody.decode(stored.body()).subject());
        assertEquals(postfixBefore.split("status=sent", -1).length, postfix.log().split("status=sent", -1).length,
                "no SMTP delivery meanwhile");
    }

    @Test
    @Order(4)
    void aRecipientThePostfixRefusesIsBouncedToTheSenderAtOnce() throws Exception {
        int aliceBefore = count(alphaAdmin, "alice");
        PlaintextBody body = new PlaintextBody("", "to nobody", "2026-12-05T09:00:00Z", List.of(), "lost");
        send(MailBytes.to("nobody", "smtp-only.test").from("alice", "alpha.test").version(Message.PLAINTEXT)
                .body(body.encode()));
        // long before the queue lifetime: Postfix's 550 at RCPT TO is final
        Await.until(() -> count(alphaAdmin, "alice") == aliceBefore + 1, Duration.ofSeconds(QUEUE_LIFETIME - 5),
                "alice's notice about the refusal");
        PlaintextBody notice = PlaintextBody.decode(stored(alphaAdmin, "alice", 0).body());
        assertEquals("Undeliverable: message to nobody@smtp-only.test", notice.subject());
        assertTrue(notice.text().contains("550"), notice.text());
    }

    @Test
    @Order(5)
    void aSealedMessageIsNeverSentOverSmtpAndBouncedAfterTheQueueLifetime() throws Exception {
        int aliceBefore = count(alphaAdmin, "alice");
        int inMaildir = maildir().size();
        String sentBefore = postfix.log();
        byte[] marker = ("SEALED-" + HexFormat.of().formatHex(new byte[] {1, 2, 3, 4, 5, 6})).getBytes(StandardCharsets.US_ASCII);
        byte[] sealedBody = MailBytes.concat(new byte[48], marker, new byte[100]);
        send(MailBytes.to("user", "smtp-only.test").from("alice", "alpha.test").version(Message.SEALED)
                .body(sealedBody));
        Await.until(() -> count(alphaAdmin, "alice") == aliceBefore + 1, Duration.ofSeconds(QUEUE_LIFETIME + 60),
                "alice's notice after the queue lifetime; queue " + queue());
        PlaintextBody notice = PlaintextBody.decode(stored(alphaAdmin, "alice", 0).body());
        assertEquals("Undeliverable: message to user@smtp-only.test", notice.subject());
        assertTrue(notice.text().contains("not delivered within") && notice.text().contains("never sent over SMTP"),
                notice.text());
        assertTrue(queue().isEmpty(), "given up: " + queue());
        assertEquals(inMaildir, maildir().size(), "nothing new in the Maildir");
        for (byte[] delivered : maildir()) {
            assertFalse(MailBytes.contains(delivered, marker), "the sealed bytes are in no delivered message");
        }
        String log = postfix.log();
        assertEquals(sentBefore.split("status=sent", -1).length, log.split("status=sent", -1).length,
                "Postfix delivered nothing more:\n" + log);
        assertEquals(occurrences(sentBefore, "connect from"), occurrences(log, "connect from"),
                "nobody even connected to Postfix:\n" + log);
    }

    @Test
    @Order(6)
    void theJakartaMailProviderSendsInPlaintextOnlyWithItsProperty() throws Exception {
        int inMaildir = maildir().size();
        Properties properties = new Properties();
        properties.put("mail.cmtp.host", ALPHA_HOST);
        properties.put("mail.cmtp.port", Integer.toString(CMTP_PORT));
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress("alice@alpha.test"));
        message.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress("user@smtp-only.test"));
        message.setSubject("from a Jakarta Mail application");
        message.setText("sent with mail.cmtp.allowplaintext=true");
        message.saveChanges();
        try (jakarta.mail.Transport transport = Session.getInstance(properties).getTransport("cmtp")) {
            transport.connect();
            jakarta.mail.SendFailedException refused = assertThrows(
                    jakarta.mail.SendFailedException.class, () -> transport.sendMessage(message, message.getAllRecipients()));
            assertEquals(1, refused.getInvalidAddresses().length, "without the property: no key, not sent");
        }
        properties.put("mail.cmtp.allowplaintext", "true");
        try (jakarta.mail.Transport transport = Session.getInstance(properties).getTransport("cmtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
        }
        Await.until(() -> maildir().size() == inMaildir + 1, TIMEOUT, "the provider's message in the Maildir");
        MimeMessage arrived = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(maildir().get(maildir().size() - 1)));
        assertEquals("from a Jakarta Mail application", arrived.getSubject());
        // SMTP ends the last line of a message with CRLF
        assertEquals("sent with mail.cmtp.allowplaintext=true\n", arrived.getContent());
    }

    @Test
    @Order(7)
    void theWebmailSendsInPlaintextOnlyWhenTheBoxIsTicked() throws Exception {
        int inMaildir = maildir().size();
        org.openqa.selenium.chrome.ChromeDriver browser = org.cmtp.it.support.HeadlessChromium.start(
                work.resolve("downloads"), FreePorts.take());
        try {
            WebmailPage page = WebmailPage.signIn(browser, alpha.http(), "alice@alpha.test", "alice's password");
            browser.findElement(By.cssSelector("a[data-section='write']")).click();
            page.awaitView("write");

            org.openqa.selenium.WebElement box = browser.findElement(By.id("w-plaintext"));
            assertFalse(box.isSelected(), "off by default");
            assertEquals("Send in plaintext to recipients without a key",
                    browser.findElement(By.cssSelector("label[for='w-plaintext']")).getText());
            assertTrue(browser.findElement(By.id("w-plaintext-hint")).getText().contains("NOT encrypted"));
            browser.findElement(By.id("w-to")).sendKeys("user@smtp-only.test");
            browser.findElement(By.id("w-subject")).sendKeys("from the webmail");
            browser.findElement(By.id("w-text")).sendKeys("ticked on purpose");
            browser.findElement(By.id("send")).click();
            page.awaitText("#send-status", "user@smtp-only.test: no key (not sent)");

            box.click();
            browser.findElement(By.id("send")).click();
            page.awaitText("#send-status", "user@smtp-only.test: sent in plaintext, NOT encrypted: queued for smtp-only.test");
        } finally {
            browser.quit();
        }
        Await.until(() -> maildir().size() == inMaildir + 1, TIMEOUT, "the webmail's message in the Maildir");
        MimeMessage arrived = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(maildir().get(maildir().size() - 1)));
        assertEquals("from the webmail", arrived.getSubject());
        assertEquals("ticked on purpose\n", arrived.getContent());
        assertEquals(new InternetAddress("alice@alpha.test"), arrived.getFrom()[0]);
    }

    /**
     * alpha runs with the defaults of the gateway (off): the gateway's default address and
     * port are refused, and no listening socket of its JVM answers in SMTP (issue 19 item 3).
     */
    @Test
    @Order(8)
    void aDefaultServerListensForNoSmtp() throws Exception {
        assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", 2525).close(),
                "nothing on cmtp.smtp-gateway-bind:cmtp.smtp-gateway-port's defaults");
        java.util.Set<Long> pids = new java.util.HashSet<>();
        pids.add(alpha.pid());
        ProcessHandle.of(alpha.pid()).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
        List<String> listening = new java.util.ArrayList<>();
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\S+\\s+\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s.*pid=(\\d+),");
        for (String line : new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            java.util.regex.Matcher m = row.matcher(line.strip());
            if (m.find() && pids.contains(Long.parseLong(m.group(3)))) {
                // "[::ffff:127.0.0.160]" is the IPv4 address as a Java socket listening on both families shows it
                String host = m.group(1).replace("[", "").replace("]", "").replace("*", "0.0.0.0").replace("::ffff:", "");
                listening.add(host + ":" + m.group(2));
            }
        }
        assertTrue(listening.contains(ALPHA_HOST + ":" + CMTP_PORT), "found alpha's own sockets: " + listening);
        for (String address : listening) {
            String host = address.substring(0, address.lastIndexOf(':'));
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            try (java.net.Socket socket = new java.net.Socket(host.equals("0.0.0.0") || host.equals("::") ? ALPHA_HOST : host,
                    port)) {
                socket.setSoTimeout(3000);
                byte[] greeting = new byte[4];
                int read;
                try {
                    read = socket.getInputStream().readNBytes(greeting, 0, 4);
                } catch (java.net.SocketTimeoutException e) {
                    read = 0; // says nothing first: not an SMTP server
                }
                String start = new String(greeting, 0, read, StandardCharsets.US_ASCII);
                assertFalse(start.matches("[2-5][0-9][0-9][ -]"), address + " greets like an SMTP server: " + start);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private Run cli(String... command) throws Exception {
        Map<String, String> environment = Map.of("CMTP_CONFIG_DIR", work.resolve("config").toString());
        return CommandLineClient.run(environment, new String[] {"--server", ALPHA_HOST + ":" + CMTP_PORT}, command);
    }

    /** MAIL to alpha from a loopback (trusted) client, answered SUCCESS: queued. */
    private void send(MailBytes mail) throws Exception {
        byte[] alphaKey = alpha.serverKey();
        try (RawCmtpConnection connection = new RawCmtpConnection(ALPHA_HOST, CMTP_PORT)) {
            connection.readText();
            Replies.expectStatus(connection.send(mail.command()), "SUCCESS", Blake2b.hash512(mail.message()), alphaKey);
        }
    }

    private List<byte[]> maildir() {
        try {
            return postfix.maildir("user");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonArray queue() {
        try {
            return alphaAdmin.get("/api/queue").json().asJsonArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(AdminClient admin, String account) {
        try {
            return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray().size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The {@code index}-th newest message of the account, as stored. */
    private static Message stored(AdminClient admin, String account, int index) throws Exception {
        JsonObject listed = admin.get("/api/accounts/" + account + "/messages").json().asJsonArray()
                .getJsonObject(index);
        return Message.decode(admin.getBytes("/api/accounts/" + account + "/messages/" + listed.getJsonNumber("id")
                + "/raw"));
    }

    private static String line(String out, String recipient) {
        return out.lines().filter(l -> l.contains(" " + recipient)).findFirst().orElse("(no line for " + recipient + ")");
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
