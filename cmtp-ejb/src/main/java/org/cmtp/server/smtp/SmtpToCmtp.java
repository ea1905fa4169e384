package org.cmtp.server.smtp;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.PlaintextBody;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.WireString;

/**
 * Reads an RFC 5322 message that arrived by SMTP (with Angus Mail, ADR 0029) into what a
 * CMTP message carries: the plaintext body (From, or Reply-To when given, as the reply-to;
 * Subject; Date; Cc; the text) and the attachments, followed by the original message
 * itself, byte for byte, as {@value #ORIGINAL_NAME}. Nothing here is trusted: a header
 * that does not fit a CMTP field is shortened or left out, never refused, because the
 * original keeps everything.
 */
public final class SmtpToCmtp {

    /** File name of the attachment that holds the message as it arrived. */
    public static final String ORIGINAL_NAME = "original-message.eml";
    private static final Session SESSION = Session.getInstance(new Properties());

    /** What the message becomes before it is sealed. */
    public record Converted(PlaintextBody body, List<Attachment> attachments) {
    }

    private SmtpToCmtp() {
    }

    /**
     * @param raw     the message as it arrived after {@code DATA} (dot-unstuffed)
     * @param arrived when it arrived; the date when the message has none
     */
    public static Converted convert(byte[] raw, Instant arrived) {
        List<Attachment> attachments = new ArrayList<>();
        String replyTo = "";
        String subject = "";
        Instant date = arrived;
        List<MailAddress> copies = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            replyTo = firstAddress(message.getReplyTo());
            subject = fit(safe(message.getSubject()));
            Date sent = message.getSentDate();
            if (sent != null) {
                date = sent.toInstant();
            }
            Address[] cc = message.getRecipients(jakarta.mail.Message.RecipientType.CC);
            if (cc != null) {
                for (Address address : cc) {
                    mailbox(address).ifPresent(copies::add);
                }
            }
            walk(message, text, attachments);
        } catch (MessagingException | IOException | RuntimeException e) {
            // unreadable MIME: the text says so, and the original is still attached in full
            text.setLength(0);
            text.append("(This message could not be read as MIME: ").append(e.getMessage())
                    .append(". The message as it arrived is attached.)\n");
            attachments.clear();
        }
        attachments.add(new Attachment(ORIGINAL_NAME, raw));
        PlaintextBody body = new PlaintextBody(replyTo, subject, PlaintextBody.formatDate(date), copies,
                text.toString());
        return new Converted(body, attachments);
    }

    private static void walk(Part part, StringBuilder text, List<Attachment> attachments)
            throws MessagingException, IOException {
        String name = part.getFileName();
        boolean attached = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || name != null;
        if (part.isMimeType("multipart/alternative") && part.getContent() instanceof Multipart alternatives) {
            // the plain text when there is one, else the first alternative
            Part chosen = null;
            for (int i = 0; i < alternatives.getCount(); i++) {
                BodyPart candidate = alternatives.getBodyPart(i);
                if (candidate.isMimeType("text/plain")) {
                    chosen = candidate;
                    break;
                }
            }
            walk(chosen != null ? chosen : alternatives.getBodyPart(0), text, attachments);
        } else if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                walk(parts.getBodyPart(i), text, attachments);
            }
        } else if (!attached && part.isMimeType("text/plain")) {
            appendText(text, textOf(part));
        } else if (!attached && part.isMimeType("text/html")) {
            appendText(text, htmlAsText(textOf(part)));
        } else {
            try (InputStream in = part.getInputStream()) {
                attachments.add(new Attachment(fileName(name, part, attachments.size()), in.readAllBytes()));
            }
        }
    }

    private static void appendText(StringBuilder text, String more) {
        if (!text.isEmpty() && !more.isEmpty()) {
            text.append("\n\n");
        }
        text.append(more);
    }

    private static String textOf(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String s) {
            return s;
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8); // an unknown charset: read as UTF-8
        }
    }

    /** HTML shown as text (tags dropped, common entities read): the HTML itself stays in the original. */
    static String htmlAsText(String html) {
        String text = html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1\\s*>", "")
                .replaceAll("(?i)<br\\s*/?>|</p\\s*>|</div\\s*>|</li\\s*>|</tr\\s*>", "\n")
                .replaceAll("(?s)<[^>]*>", "")
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return text.replaceAll("\n{3,}", "\n\n").strip();
    }

    private static String fileName(String given, Part part, int index) throws MessagingException {
        String name = given;
        if (name != null) {
            try {
                name = MimeUtility.decodeText(name);
            } catch (IOException e) {
                // keep it as written
            }
        }
        if (name == null || name.isBlank()) {
            name = part.isMimeType("message/rfc822") ? "message-" + (index + 1) + ".eml" : "attachment-" + (index + 1);
        }
        return fit(safe(name));
    }

    private static String firstAddress(Address[] addresses) {
        if (addresses == null) {
            return "";
        }
        for (Address address : addresses) {
            if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                return fit(safe(internet.getAddress()));
            }
        }
        return "";
    }

    private static java.util.Optional<MailAddress> mailbox(Address address) {
        if (!(address instanceof InternetAddress internet) || internet.getAddress() == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(MailAddress.parse(internet.getAddress()));
        } catch (InvalidAddressException e) {
            return java.util.Optional.empty();
        }
    }

    /** No NUL (the wire strings end there) and no other control characters in a one-line field. */
    private static String safe(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", " ").strip();
    }

    /** At most the 255 UTF-8 bytes of a wire string, cut at a whole code point. */
    static String fit(String s) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= WireString.MAX_BYTES) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > WireString.MAX_BYTES) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
