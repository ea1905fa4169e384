package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.CommandLineClient;
import org.cmtp.it.support.CommandLineClient.Run;
import org.cmtp.it.support.FreePorts;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.PrivatePostfix;
import org.cmtp.it.support.WebmailPage;

/**
 * The inbound SMTP gateway behind a real Postfix (Debian's package, a private instance
 * under {@code /tmp}): Postfix on 127.0.0.120 relays b.test to the gateway of the CMTP
 * server of b.test on 127.0.0.121 (every port chosen per run by {@link FreePorts}),
 * and delivers smtp-only.test (carol, the SMTP-world sender) to Maildirs. Needs root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmtpGatewayIT {

    private static final String ADMIN_PASSWORD = "gateway-admin-password";
    private static final String BOB_PASSWORD = "bob-password-123456";
    private static final String HOST = "127.0.0.121";
    private static final int POSTFIX_PORT = FreePorts.take();
    private static final int GATEWAY_PORT = FreePorts.take();
    private static final int PLAIN_HTTP_PORT = FreePorts.take();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private PrivatePostfix postfix;
    private LaunchedServer server;
    private AdminClient admin;

    @BeforeAll
    void start() throws Exception {
        server = servers.newServer("gateway-b", HOST, FreePorts.take(), "b.test", ADMIN_PASSWORD)
                .with("CMTP_PLAIN_HTTP_PORT", Integer.toString(PLAIN_HTTP_PORT))
                .with("CMTP_SMTP_GATEWAY", "true")
                .with("CMTP_SMTP_GATEWAY_BIND", HOST)
                .with("CMTP_SMTP_GATEWAY_PORT", Integer.toString(GATEWAY_PORT));
        servers.start(server);
        admin = server.admin();
        admin.createAccount("bob", BOB_PASSWORD);
        postfix = servers.manage(new PrivatePostfix("postfix-gateway", "127.0.0.120:" + POSTFIX_PORT,
                Map.of("b.test", "smtp:[" + HOST + "]:" + GATEWAY_PORT), "smtp-only.test", List.of("carol"),
                List.of())).start();
    }

    private static byte[] mime(String subject, String text, String attachmentName, byte[] attachment) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("carol@smtp-only.test", "Carol"));
        message.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress("bob@b.test"));
        message.setSubject(subject, "UTF-8");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setContent(attachment, "application/octet-stream");
        file.setFileName(attachmentName);
        file.setDisposition(MimeBodyPart.ATTACHMENT);
        message.setContent(new MimeMultipart(body, file));
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private JsonArray bobsMessages() {
        try {
            return admin.get("/api/accounts/bob/messages?first=0&max=100").json().asJsonArray();
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    @Order(1)
    void mailThroughPostfixArrivesSealedAndBobReadsItWithTheCli() throws Exception {
        byte[] attachment = new byte[50_000];
        new Random(19).nextBytes(attachment);
        String text = "Hello Bob,\nthis came from the SMTP world. Grüße!\n";
        postfix.sendmail("carol@smtp-only.test", "bob@b.test", mime("über SMTP", text, "data.bin", attachment));
        Await.until(() -> { JsonArray m = bobsMessages(); return m != null && m.size() == 1; }, TIMEOUT,
                "bob's message through Postfix; Postfix log:\n" + postfix.log());
        JsonObject listed = bobsMessages().getJsonObject(0);
        assertTrue(listed.getBoolean("viaSmtp"), "marked in the admin API: " + listed);
        assertEquals("carol@smtp-only.test", listed.getString("sender"));

        Path work = LaunchedServer.freshDataDir("gateway-cli");
        Files.createDirectories(work);
        Map<String, String> environment = Map.of("CMTP_CONFIG_DIR", work.resolve("config").toString(),
                "CMTP_PASSWORD", BOB_PASSWORD);
        String[] global = {"--server", HOST + ":" + server.cmtpPort(), "--api", server.plainHttp().toString()};
        Run signin = CommandLineClient.run(environment, global, "signin", "bob@b.test");
        assertEquals(0, signin.exit(), signin.toString());
        Run inbox = CommandLineClient.run(environment, global, "inbox");
        assertTrue(inbox.out().contains("[arrived by SMTP, encrypted on arrival, not end to end]"), inbox.toString());
        String id = inbox.out().trim().split("\\s+")[0];
        Path saved = work.resolve("saved");
        Run read = CommandLineClient.run(environment, global, "read", id, "--save", saved.toString());
        assertEquals(0, read.exit(), read.toString());
        assertTrue(read.out().contains("arrived by SMTP, encrypted on arrival, not end to end"), read.toString());
        assertTrue(read.out().contains("Subject: über SMTP"), read.toString());
        assertTrue(read.out().contains("this came from the SMTP world. Grüße!"), read.toString());
        assertArrayEquals(attachment, Files.readAllBytes(saved.resolve("data.bin")), "the attachment, byte for byte");
        assertTrue(Files.readString(saved.resolve("original-message.eml"), StandardCharsets.ISO_8859_1)
                .contains("From: Carol <carol@smtp-only.test>"), "the original kept as an attachment");
    }

    @Test
    @Order(2)
    void anUnknownRecipientIsBouncedByPostfixWithOur550() throws Exception {
        postfix.sendmail("carol@smtp-only.test", "nobody@b.test", mime("to nobody", "lost?", "x.txt",
                "x".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> {
            try {
                return postfix.maildir("carol").stream().map(b -> new String(b, StandardCharsets.ISO_8859_1))
                        .anyMatch(m -> m.contains("550 5.1.1 no such CMTP account here"));
            } catch (Exception e) {
                return false;
            }
        }, TIMEOUT, "carol's bounce with our 550; Postfix log:\n" + postfix.log());
    }

    @Test
    @Order(3)
    void theGatewayIsNoOpenRelay() throws Exception {
        try (Socket socket = new Socket(HOST, GATEWAY_PORT)) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertTrue(reply(in).startsWith("220"));
            out.write("EHLO test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply(in).startsWith("250"));
            out.write("MAIL FROM:<carol@smtp-only.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply(in).startsWith("250"));
            out.write("RCPT TO:<someone@elsewhere.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            String refused = reply(in);
            assertTrue(refused.startsWith("550 5.7.1 relaying denied"), refused);
            out.write("RCPT TO:<carol@smtp-only.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply(in).startsWith("550"));
        }
    }

    /** One SMTP reply, its last line (multi-line replies have "-" after the code). */
    private static String reply(BufferedReader in) throws Exception {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return String.valueOf(line);
    }

    @Test
    @Order(4)
    void killedBetweenHandOverAndOur250NothingIsLost() throws Exception {
        int before = bobsMessages().size();
        byte[] attachment = new byte[6_000_000];
        new Random(4).nextBytes(attachment);
        postfix.sendmail("carol@smtp-only.test", "bob@b.test", mime("killed", "survives", "big.bin", attachment));
        server.awaitLog("CMTP SMTP gateway sealing a message", 1, TIMEOUT);
        server.kill();
        boolean storedFirst = server.log().contains("SMTP gateway stored message");
        System.out.println("SmtpGatewayIT: killed " + (storedFirst ? "after the commit" : "before the commit"));
        servers.start(server); // again, on the data directory kill -9 left; the later tests use it
        postfix.flush();
        Await.until(() -> {
            JsonArray m = bobsMessages();
            return m != null && m.size() > before;
        }, Duration.ofSeconds(240), "the message again after the restart; Postfix log:\n" + postfix.log());
        Await.until(() -> {
            try {
                return postfix.queue().contains("is empty");
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(120), "Postfix's queue empty");
    }

    /** An SMTP session on the gateway up to RCPT TO; returns the reply to RCPT. */
    private static String rcpt(BufferedReader in, OutputStream out, String recipient) throws Exception {
        assertTrue(reply(in).startsWith("220"));
        for (String command : new String[] {"EHLO test", "MAIL FROM:<carol@smtp-only.test>"}) {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(reply(in).startsWith("250"), command);
        }
        out.write(("RCPT TO:<" + recipient + ">\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    @Test
    @Order(5)
    void aMessageOverTheSizeLimitIsRefusedAtDataWith552AndNothingIsStored() throws Exception {
        int before = bobsMessages().size();
        try (Socket socket = new Socket(HOST, GATEWAY_PORT)) {
            socket.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream());
            assertTrue(rcpt(in, out, "bob@b.test").startsWith("250"));
            out.write("DATA\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(reply(in).startsWith("354"));
            out.write("Subject: too big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written <= 10L * 1024 * 1024; written += line.length) { // the default limit: 10 MiB
                out.write(line);
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String refused = reply(in);
            assertTrue(refused.startsWith("552 5.3.4") && refused.contains("cmtp.smtp-gateway-max-message-size"), refused);
        }
        assertEquals(before, bobsMessages().size(), "nothing stored");
    }

    @Test
    @Order(6)
    void aDisabledAccountIsRefusedAtRcptWith550() throws Exception {
        admin.createAccount("dora", "dora-password-123456");
        try (Socket socket = new Socket(HOST, GATEWAY_PORT)) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertTrue(rcpt(in, socket.getOutputStream(), "dora@b.test").startsWith("250"), "enabled: taken");
        }
        assertEquals(200, admin.patch("/api/accounts/dora", "{\"enabled\":false}").status());
        try (Socket socket = new Socket(HOST, GATEWAY_PORT)) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String refused = rcpt(in, socket.getOutputStream(), "dora@b.test");
            assertTrue(refused.startsWith("550 5.1.1 no such CMTP account here"), refused);
        }
    }

    /** The webmail marks mail that came through the gateway, in the inbox and on the message. */
    @Test
    @Order(7)
    void theWebmailMarksMailThatArrivedBySmtp() throws Exception {
        org.openqa.selenium.chrome.ChromeDriver browser = org.cmtp.it.support.HeadlessChromium.start(
                LaunchedServer.freshDataDir("gateway-chromium"), FreePorts.take());
        try {
            WebmailPage page = WebmailPage.signIn(browser, server.http(), "bob@b.test", BOB_PASSWORD);
            // its row carries the tag (subjects are decrypted in the page, then tagged)
            page.until(d -> d.findElements(By.cssSelector("#view tbody tr")).stream().map(r -> r.getText())
                    .anyMatch(row -> row.contains("über SMTP") && row.contains("arrived by SMTP")));
            for (org.openqa.selenium.WebElement link : browser.findElements(By.cssSelector("#view a[data-id]"))) {
                if (link.getText().contains("über SMTP")) {
                    link.click();
                    break;
                }
            }
            String marker = page.awaitText("#msg-via-smtp", "Arrived by SMTP");
            assertTrue(marker.startsWith("Arrived by SMTP, encrypted on arrival, not end to end"), marker);
            assertTrue(browser.findElements(By.id("msg-plain")).isEmpty(), "sealed on arrival");
        } finally {
            browser.quit();
        }
    }
}
