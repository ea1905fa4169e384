package org.cmtp.server.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.junit.jupiter.api.Test;

/** A plaintext CMTP message written as RFC 5322 and read back by Angus Mail as a mail program would. */
class CmtpToSmtpTest {

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final MailAddress ALICE = new MailAddress("alice", "alpha.example");
    private static final MailAddress DAVE = new MailAddress("dave", "smtp-only.example");

    private static MimeMessage roundTrip(Message message) throws Exception {
        MimeMessage written = CmtpToSmtp.toMime(SESSION, message, "alpha.example");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        written.writeTo(bytes);
        return new MimeMessage(SESSION, new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void everyFieldAndAttachmentArrives() throws Exception {
        byte[] data = new byte[3000];
        new java.util.Random(5).nextBytes(data);
        PlaintextBody body = new PlaintextBody("team@alpha.example", "Grüße über SMTP", "2026-12-05T09:10:11Z",
                List.of(new MailAddress("carol", "gamma.example")), "Hello Dave,\nthe numbers.\n");
        Message message = new Message(Message.PLAINTEXT, DAVE, ALICE, "", body.encode(),
                List.of(new Attachment("numbers – 2026.bin", data).encode()));
        MimeMessage read = roundTrip(message);
        assertEquals(new InternetAddress("alice@alpha.example"), read.getFrom()[0]);
        assertEquals(new InternetAddress("dave@smtp-only.example"), read.getRecipients(RecipientType.TO)[0]);
        assertEquals(new InternetAddress("carol@gamma.example"), read.getRecipients(RecipientType.CC)[0]);
        assertEquals(new InternetAddress("team@alpha.example"), read.getReplyTo()[0]);
        assertEquals("Grüße über SMTP", read.getSubject());
        assertEquals(Date.from(Instant.parse("2026-12-05T09:10:11Z")), read.getSentDate());
        assertTrue(read.getMessageID().matches("<[0-9a-f]{32}@alpha\\.example>"), read.getMessageID());
        MimeMultipart parts = (MimeMultipart) read.getContent();
        assertEquals("Hello Dave,\nthe numbers.\n", parts.getBodyPart(0).getContent());
        Part file = parts.getBodyPart(1);
        assertEquals("numbers – 2026.bin", jakarta.mail.internet.MimeUtility.decodeText(file.getFileName()));
        assertEquals(Part.ATTACHMENT, file.getDisposition());
        assertArrayEquals(data, file.getInputStream().readAllBytes());
    }

    @Test
    void withoutAttachmentsItIsOneTextPartAndANoticeComesFromPostmaster() throws Exception {
        PlaintextBody body = new PlaintextBody("", "Undeliverable", "not a date", List.of(), "Gone.\n");
        MimeMessage read = roundTrip(new Message(Message.PLAINTEXT, DAVE, MailAddress.server("alpha.example"), "",
                body.encode(), List.of()));
        assertEquals(new InternetAddress("postmaster@alpha.example"), read.getFrom()[0]);
        assertEquals("Gone.\n", read.getContent());
        assertTrue(read.getContentType().toLowerCase().contains("charset=utf-8"), read.getContentType());
        assertTrue(read.getSentDate() != null, "a date that cannot be read becomes now: the header is required");
        assertNull(read.getHeader("Reply-To"));
    }

    @Test
    void aSealedMessageIsNeverWrittenForSmtp() {
        Message sealed = new Message(Message.SEALED, DAVE, ALICE, "", new byte[80], List.of());
        assertThrows(IllegalArgumentException.class, () -> CmtpToSmtp.toMime(SESSION, sealed, "alpha.example"));
    }

    @Test
    void theReplyClassIsReadFromTheServersAnswerBehindAFailure() {
        MessagingException rcpt = new MessagingException("550 5.1.1 <nobody@smtp-only.example>: User unknown\n");
        assertEquals(5, SmtpRelay.replyClass(new SendFailedException("Invalid Addresses", rcpt)));
        assertEquals(4, SmtpRelay.replyClass(new SendFailedException("451 4.3.0 try again later")));
        assertEquals(0, SmtpRelay.replyClass(new MessagingException("Exception reading response",
                new java.net.SocketTimeoutException("Read timed out"))));
    }
}
