package org.cmtp.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import org.cmtp.message.Attachment;
import org.junit.jupiter.api.Test;

/** MIME structures as Angus Mail builds and parses them, read back the way CMTP carries mail. */
class MimeContentTest {

    private final Session session = Session.getInstance(new Properties());

    @Test
    void aPlainMessageIsItsText() throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setText("Grüße\n", "UTF-8");
        MimeContent content = MimeContent.of(reparsed(message));
        assertEquals("Grüße\n", content.text());
        assertFalse(content.fromHtml());
        assertEquals(List.of(), content.attachments());
    }

    @Test
    void alternativesGiveTheirPlainTextAndAttachmentsKeepNamesAndBytes() throws Exception {
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("plain", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>html</p>", "text/html; charset=UTF-8");
        MimeBodyPart alternatives = new MimeBodyPart();
        alternatives.setContent(new MimeMultipart("alternative", html, plain));
        byte[] bytes = {0, 1, 2, (byte) 0xFF, '\r', '\n'};
        MimeMessage message = new MimeMessage(session);
        message.setContent(new MimeMultipart(alternatives, file("Bericht März.bin", bytes), file("notes.txt",
                "a note".getBytes(StandardCharsets.UTF_8))));

        MimeContent content = MimeContent.of(reparsed(message));
        assertEquals("plain", content.text());
        assertFalse(content.fromHtml());
        assertEquals(List.of("Bericht März.bin", "notes.txt"), content.attachments().stream().map(Attachment::fileName).toList());
        assertArrayEquals(bytes, content.attachments().get(0).data());
    }

    @Test
    void withoutPlainTextTheHtmlTextIsTakenAndSaidToBeLossy() throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setContent("<p>one</p><p>two</p>", "text/html; charset=UTF-8");
        MimeContent content = MimeContent.of(reparsed(message));
        assertEquals("one\n\ntwo", content.text());
        assertTrue(content.fromHtml());
    }

    @Test
    void inlineTextsAreJoinedAndUnnamedPartsAndMessagesBecomeFiles() throws Exception {
        MimeBodyPart first = new MimeBodyPart();
        first.setText("first");
        MimeBodyPart image = new MimeBodyPart();
        image.setDataHandler(new DataHandler(new ByteArrayDataSource(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png")));
        MimeBodyPart second = new MimeBodyPart();
        second.setText("second");
        MimeMessage forwarded = new MimeMessage(session);
        forwarded.setSubject("old");
        forwarded.setText("old text");
        MimeBodyPart attached = new MimeBodyPart();
        attached.setContent(forwarded, "message/rfc822");
        MimeMessage message = new MimeMessage(session);
        message.setContent(new MimeMultipart(first, image, second, attached));

        MimeContent content = MimeContent.of(reparsed(message));
        assertEquals("first\n\nsecond", content.text());
        assertEquals(List.of("part-1", "message-2.eml"), content.attachments().stream().map(Attachment::fileName).toList());
        assertTrue(new String(content.attachments().get(1).data(), StandardCharsets.UTF_8).contains("Subject: old"));
    }

    @Test
    void aTextInACharsetTheJvmDoesNotKnowIsReadAsUtf8() throws Exception {
        byte[] raw = ("Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nGr\u00fc\u00dfe").getBytes(StandardCharsets.UTF_8);
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw));
        assertEquals("Grüße", MimeContent.of(message).text());
    }

    @Test
    void aFileNameLongerThanCmtpCarriesIsRefusedPlainly() throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setContent(new MimeMultipart(file("x".repeat(256), new byte[1])));
        MessagingException refused = assertThrows(MessagingException.class, () -> MimeContent.of(reparsed(message)));
        assertTrue(refused.getMessage().contains("at most 255 UTF-8 bytes"), refused.getMessage());
    }

    private static MimeBodyPart file(String name, byte[] bytes) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, "application/octet-stream")));
        part.setFileName(name);
        return part;
    }

    /** As a receiver of the written message would see it: encodings applied and undone. */
    private MimeMessage reparsed(MimeMessage message) throws Exception {
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return new MimeMessage(session, new ByteArrayInputStream(out.toByteArray()));
    }
}
