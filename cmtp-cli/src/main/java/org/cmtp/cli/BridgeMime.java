package org.cmtp.cli;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.cmtp.client.ReceivedMail;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;

/**
 * An opened CMTP message as the RFC 5322/MIME message the bridge serves over IMAP, built
 * with Angus Mail: From, To, Cc, Reply-To, Subject, Date, a Message-ID derived from the
 * hash the sender's receipt was signed over, the text as text/plain in UTF-8 and each
 * attachment as a MIME part under its file name. The same message always gives the same
 * bytes (fixed boundary, UTC date), so sizes and sections stay put between fetches.
 */
final class BridgeMime {

    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        nameStreamProvider();
    }

    static final Session SESSION = Session.getInstance(new Properties());
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private BridgeMime() {
    }

    /**
     * Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader on every
     * {@code MimeMessage.writeTo} and every encoder and decoder, reading the jar's service
     * files each time: 60 % of rendering a small message. Named by its system property, it is
     * only instantiated. Called before the bridge reads or writes any MIME.
     */
    static void nameStreamProvider() {
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    /**
     * BLAKE2b-512 of the message as its sender submitted it (the stored form without the log
     * lines servers added): what the sender's receipt is signed over.
     */
    static byte[] receiptHash(Message message) {
        return new Message(message.version(), message.destination(), message.source(), "", message.body(),
                message.attachments()).hash512();
    }

    /** {@code <first 20 bytes of the receipt hash in hex@sender's domain>}. */
    static String messageId(Message message) {
        return "<" + HexFormat.of().formatHex(receiptHash(message), 0, 20) + "@" + message.source().domain() + ">";
    }

    /** The header that marks mail which arrived through the server's SMTP gateway. */
    static final String ARRIVED_BY = "X-CMTP-Arrived-By";
    static final String ARRIVED_BY_SMTP = "SMTP (encrypted on arrival, not end to end)";
    /** The line put before such a message's text, for mail programs that hide unknown headers. */
    static final String ARRIVED_BY_SMTP_NOTE = "[cmtp: this message " + UserCommands.VIA_SMTP
            + ": its sender wrote it in the clear and the server sealed it]";

    /**
     * @param viaSmtp the server says it arrived through its SMTP gateway: marked with
     *                {@value #ARRIVED_BY} and a first line of text, so that mail programs show it
     */
    static byte[] render(ReceivedMail mail, Instant received, boolean viaSmtp) throws MessagingException, IOException {
        Message message = mail.message();
        String messageId = messageId(message);
        MimeMessage mime = new MimeMessage(SESSION) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        mime.setFrom(address(message.source()));
        mime.setRecipient(jakarta.mail.Message.RecipientType.TO, address(message.destination()));
        List<MailAddress> copies = mail.body().carbonCopies();
        if (!copies.isEmpty()) {
            InternetAddress[] cc = new InternetAddress[copies.size()];
            for (int i = 0; i < cc.length; i++) {
                cc[i] = address(copies.get(i));
            }
            mime.setRecipients(jakarta.mail.Message.RecipientType.CC, cc);
        }
        String replyTo = mail.body().replyTo().strip();
        if (!replyTo.isEmpty() && !replyTo.equalsIgnoreCase(message.source().toString())) {
            try {
                mime.setReplyTo(InternetAddress.parse(replyTo, false));
            } catch (MessagingException e) {
                mime.setHeader("X-CMTP-Reply-To", jakarta.mail.internet.MimeUtility.encodeText(replyTo,
                        "UTF-8", null)); // not an address: kept, where no mail program replies to it
            }
        }
        mime.setSubject(clean(mail.body().subject()), "UTF-8");
        mime.setHeader("Date", RFC_5322.format(date(mail.body().date(), received)));
        if (message.version() == Message.PLAINTEXT) {
            mime.setHeader("X-CMTP-Encrypted", "no (a notice sent in the clear)");
        }
        String text = mail.body().text();
        if (viaSmtp) {
            mime.setHeader(ARRIVED_BY, ARRIVED_BY_SMTP);
            text = ARRIVED_BY_SMTP_NOTE + "\n\n" + text;
        }
        if (mail.attachments().isEmpty()) {
            mime.setText(text, "UTF-8");
        } else {
            String boundary = "=_cmtp_" + HexFormat.of().formatHex(receiptHash(message), 0, 12);
            MimeMultipart mixed = new MimeMultipart("mixed") {
                {
                    contentType = "multipart/mixed; boundary=\"" + boundary + "\"";
                }
            };
            MimeBodyPart textPart = new MimeBodyPart();
            textPart.setText(text, "UTF-8");
            mixed.addBodyPart(textPart);
            for (Attachment attachment : mail.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                String type = URLConnection.guessContentTypeFromName(attachment.fileName());
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.data(),
                        type == null ? "application/octet-stream" : type)));
                part.setFileName(attachment.fileName());
                part.setDisposition(Part.ATTACHMENT);
                part.setHeader("Content-Transfer-Encoding", "base64");
                mixed.addBodyPart(part);
            }
            mime.setContent(mixed);
        }
        mime.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.encodedLength() + 1024);
        mime.writeTo(out);
        return out.toByteArray();
    }

    private static InternetAddress address(MailAddress address) throws MessagingException {
        InternetAddress internet = new InternetAddress();
        internet.setAddress(address.toString());
        return internet;
    }

    /** The sender's date if it is one, else when the server received the message. */
    private static Instant date(String sent, Instant received) {
        try {
            return Instant.parse(sent);
        } catch (DateTimeParseException e) {
            return received;
        }
    }

    /** A header field without line breaks or other control characters (no header injection). */
    static String clean(String field) {
        return field.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
