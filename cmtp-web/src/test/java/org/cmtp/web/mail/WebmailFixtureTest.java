package org.cmtp.web.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.crypto.BoxKeys;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.SealedBox;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.junit.jupiter.api.Test;

/**
 * Messages sealed by our Java code (the CLI's and the server's {@link MailSender}), written to
 * {@code target/webmail-fixtures/} with what they must open to, for the webmail page's crypto
 * module to open under Node in the same build ({@code src/test/js/webmail-crypto.test.mjs},
 * run by Maven right after this test). Sealed to the user key of {@code shared/vectors}.
 */
class WebmailFixtureTest {

    static final Path FIXTURES = Path.of("target/webmail-fixtures");
    /** Right-to-left override and markup: the page must show them as text. */
    static final String SUBJECT = "Gr\u00fc\u00dfe \u202eexe.txt <script>alert(1)</script>";
    static final String TEXT = "Hello bob,\n<img src=x onerror=alert(2)>\n\u05e9\u05dc\u05d5\u05dd \ud83d\udc4b\n";

    @Test
    void writesMessagesSealedInJava() throws Exception {
        Files.createDirectories(FIXTURES);
        Ed25519KeyPair user = Ed25519KeyPair.fromSeed(HexFormat.of().parseHex(
                "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        byte[] file = new byte[70_000];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (i * 31 + 7);
        }
        MailAddress bob = new MailAddress("bob", "hawaii.edu");
        OutgoingMail mail = OutgoingMail.from(new MailAddress("alice", "hawaii.edu"))
                .to(bob)
                .subject(SUBJECT)
                .text(TEXT)
                .replyTo("alice+replies@hawaii.edu")
                .carbonCopy(new MailAddress("carol", "hawaii.edu"), new MailAddress("dave", "example.org"))
                .attach(new Attachment("r\u00e9sum\u00e9 \u202egpj.exe", file), new Attachment("empty", new byte[0]))
                .build();
        Instant date = Instant.parse("2026-12-04T18:30:00Z");
        Message sealed = MailSender.seal(mail, bob, user.publicKey(), date);
        Files.write(FIXTURES.resolve("java-sealed.msg"), sealed.encode());

        // the same body in the clear, as a version-0 message (a delivery notice is one)
        byte[] plainBody = MailSender.body(mail, date).encode();
        Message plain = new Message(Message.PLAINTEXT, bob, new MailAddress("", "hawaii.edu"), "", plainBody,
                List.of(new Attachment("notice.txt", "not sealed".getBytes(StandardCharsets.UTF_8)).encode()));
        Files.write(FIXTURES.resolve("java-plain.msg"), plain.encode());

        String expected = "{\"replyTo\": " + json("alice+replies@hawaii.edu")
                + ", \"subject\": " + json(SUBJECT)
                + ", \"date\": " + json("2026-12-04T18:30:00Z")
                + ", \"carbonCopies\": [" + json("carol@hawaii.edu") + ", " + json("dave@example.org") + "]"
                + ", \"text\": " + json(TEXT)
                + ", \"attachments\": [{\"name\": " + json("r\u00e9sum\u00e9 \u202egpj.exe") + ", \"hex\": \""
                + HexFormat.of().formatHex(file) + "\"}, {\"name\": \"empty\", \"hex\": \"\"}]}\n";
        Files.writeString(FIXTURES.resolve("java-sealed.json"), expected);

        // the fixture opens in Java, so a failure in Node is the page's
        byte[] opened = SealedBox.open(sealed.body(), BoxKeys.toX25519PublicKey(user.publicKey()),
                BoxKeys.toX25519SecretKey(user));
        assertEquals(SUBJECT, PlaintextBody.decode(opened).subject());
        assertArrayEquals(plainBody, Message.decode(plain.encode()).body());
    }

    /** A JSON string with everything outside printable ASCII escaped, so no encoding is in doubt. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
