package org.cmtp.server.smtp;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.wire.ProtocolException;

/**
 * Writes a plaintext (version 0) CMTP message as the RFC 5322 message the SMTP world
 * reads (with Angus Mail, ADR 0028): From the source address, To the destination, Cc the
 * carbon copies, Reply-To when the sender gave one that is an address, Subject, Date, the
 * text as a UTF-8 text part and each attachment as a part with its file name. Only
 * version 0 comes here: a sealed message has nothing a mail program could read, and is
 * never sent over SMTP.
 */
public final class CmtpToSmtp {

    /** The From of a message written by a server account (a delivery notice): there is no account to name. */
    static final String SERVER_LOCAL_PART = "postmaster";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CmtpToSmtp() {
    }

    /**
     * @param message a version-0 message
     * @param host    the domain in the Message-ID (this server's primary domain)
     * @throws ProtocolException  its body or an attachment is not in the format of PROTOCOL.md §6
     * @throws MessagingException an address cannot be written as an RFC 5322 address
     */
    public static MimeMessage toMime(Session session, Message message, String host)
            throws ProtocolException, MessagingException {
        if (message.version() != Message.PLAINTEXT) {
            throw new IllegalArgumentException("a sealed message is never written for SMTP");
        }
        PlaintextBody body = PlaintextBody.decode(message.body());
        List<Attachment> attachments = new ArrayList<>();
        for (byte[] blob : message.attachments()) {
            attachments.add(Attachment.decode(blob));
        }
        String messageId = "<" + HexFormat.of().formatHex(randomBytes())
                + "@" + host + ">";
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                // Angus would name the JVM's user and host; ours names only the domain
                setHeader("Message-ID", messageId);
            }
        };
        mime.setFrom(address(message.source()));
        mime.setRecipient(jakarta.mail.Message.RecipientType.TO, address(message.destination()));
        List<InternetAddress> copies = new ArrayList<>();
        for (MailAddress copy : body.carbonCopies()) {
            copies.add(address(copy));
        }
        if (!copies.isEmpty()) {
            mime.setRecipients(jakarta.mail.Message.RecipientType.CC, copies.toArray(InternetAddress[]::new));
        }
        Optional<InternetAddress> replyTo = replyTo(body.replyTo());
        if (replyTo.isPresent()) {
            mime.setReplyTo(new InternetAddress[] {replyTo.get()});
        }
        mime.setSubject(body.subject(), "UTF-8");
        mime.setSentDate(date(body.date()));
        if (attachments.isEmpty()) {
            mime.setText(body.text(), "UTF-8");
        } else {
            MimeMultipart parts = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText(body.text(), "UTF-8");
            parts.addBodyPart(text);
            for (Attachment attachment : attachments) {
                MimeBodyPart file = new MimeBodyPart();
                file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.data(), "application/octet-stream")));
                file.setFileName(attachment.fileName());
                file.setDisposition(MimeBodyPart.ATTACHMENT);
                parts.addBodyPart(file);
            }
            mime.setContent(parts);
        }
        mime.saveChanges();
        return mime;
    }

    /** {@code account@domain}; a server account writes as {@code postmaster@domain}. */
    static InternetAddress address(MailAddress address) throws AddressException {
        String local = address.isServer() ? SERVER_LOCAL_PART : address.account();
        InternetAddress internet = new InternetAddress(local + "@" + address.domain(), true);
        internet.validate();
        return internet;
    }

    /** The CMTP Reply-To is free text: used when it is one address, left out otherwise. */
    private static Optional<InternetAddress> replyTo(String replyTo) {
        if (replyTo.isBlank()) {
            return Optional.empty();
        }
        try {
            InternetAddress[] parsed = InternetAddress.parse(replyTo, true);
            return parsed.length == 1 ? Optional.of(parsed[0]) : Optional.empty();
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /** The sender's date if it is the ISO-8601 of the format, else now (the header is required). */
    private static Date date(String iso) {
        try {
            return Date.from(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return new Date();
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
