package org.cmtp.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cmtp.message.Attachment;
import org.cmtp.wire.WireString;

/**
 * What a MIME message carries, as CMTP can carry it (PROTOCOL.md §6): one text and a list
 * of named files.
 *
 * <ul>
 * <li>The text: the text/plain parts that are not attachments, joined by a blank line; of a
 *     multipart/alternative, its text/plain choice. Without any text/plain part, the text
 *     of the first HTML part ({@link HtmlText}: lossy).</li>
 * <li>Attachments: every part with disposition {@code attachment} or a file name, and every
 *     other part that is not text (inline images, ...): its decoded bytes under its file
 *     name, or {@code part-N} when it has none; an attached message under
 *     {@code message-N.eml}.</li>
 * </ul>
 *
 * @param text the text of the mail
 * @param fromHtml whether the text was made from HTML (lossy)
 * @param attachments the files, in the order of the parts
 */
public record MimeContent(String text, boolean fromHtml, List<Attachment> attachments) {

    public static MimeContent of(Part message) throws MessagingException, IOException {
        Walk walk = new Walk();
        walk.part(message);
        String text = !walk.plain.isEmpty() ? String.join("\n\n", walk.plain)
                : walk.html != null ? HtmlText.of(walk.html) : "";
        return new MimeContent(text, walk.plain.isEmpty() && walk.html != null, walk.attachments);
    }

    private static final class Walk {
        private final List<String> plain = new ArrayList<>();
        private String html;
        private final List<Attachment> attachments = new ArrayList<>();

        void part(Part part) throws MessagingException, IOException {
            if (part.isMimeType("multipart/alternative")) {
                alternative((Multipart) part.getContent());
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    part(multipart.getBodyPart(i));
                }
            } else if (isAttachment(part)) {
                attach(part);
            } else if (part.isMimeType("text/plain")) {
                plain.add(text(part));
            } else if (part.isMimeType("text/html")) {
                if (html == null) {
                    html = text(part);
                } else {
                    attach(part); // a second HTML text has no place in one plain text: kept as a file
                }
            } else {
                attach(part);
            }
        }

        /** One representation: the plain text if there is one, else the first (usually HTML). */
        private void alternative(Multipart alternatives) throws MessagingException, IOException {
            BodyPart chosen = null;
            for (int i = 0; i < alternatives.getCount() && chosen == null; i++) {
                if (alternatives.getBodyPart(i).isMimeType("text/plain")) {
                    chosen = alternatives.getBodyPart(i);
                }
            }
            if (chosen == null && alternatives.getCount() > 0) {
                chosen = alternatives.getBodyPart(0);
            }
            if (chosen != null) {
                part(chosen);
            }
        }

        private static boolean isAttachment(Part part) throws MessagingException {
            return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
        }

        private void attach(Part part) throws MessagingException, IOException {
            int number = attachments.size() + 1;
            String name = part.getFileName();
            byte[] bytes;
            if (part.isMimeType("message/rfc822")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ((Part) part.getContent()).writeTo(out);
                bytes = out.toByteArray();
                name = name != null ? name : "message-" + number + ".eml";
            } else {
                try (InputStream in = part.getInputStream()) {
                    bytes = in.readAllBytes();
                }
                name = name != null ? name : "part-" + number;
            }
            if (name.indexOf('\0') >= 0 || name.getBytes(StandardCharsets.UTF_8).length > WireString.MAX_BYTES) {
                throw new MessagingException("attachment file name '" + name.replace('\0', '?') + "' cannot be sent"
                        + " with CMTP: at most " + WireString.MAX_BYTES + " UTF-8 bytes, without NUL");
            }
            attachments.add(new Attachment(name, bytes));
        }

        private static String text(Part part) throws MessagingException, IOException {
            try {
                if (part.getContent() instanceof String text) {
                    return text;
                }
            } catch (UnsupportedEncodingException e) {
                // a charset this JVM does not know: the bytes as UTF-8 rather than no mail at all
            }
            try (InputStream in = part.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
