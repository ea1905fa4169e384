package org.cmtp.cli;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;
import jakarta.mail.internet.ParseException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The MIME structure of a message as byte ranges, for IMAP's sections ({@code BODY[1.2]},
 * {@code BODY[HEADER]}, {@code BODY[1.MIME]}, ...) and its ENVELOPE and BODYSTRUCTURE:
 * a section must be the exact bytes of the message, so the parts are found by their
 * boundaries in the bytes; header values are read with Angus Mail's parsers
 * ({@link ContentType}, {@link ContentDisposition}, {@link InternetAddress}).
 */
final class MimeParts {

    /** One entity: its header lines and content as offsets into the message's bytes. */
    static final class Part {
        final byte[] bytes;
        final int start;
        final int bodyStart;
        final int end;
        final List<String[]> fields = new ArrayList<>(); // {name, raw line(s) without the final CRLF}
        final List<Part> children = new ArrayList<>();
        Part message; // the encapsulated message of a message/rfc822 part
        ContentType type;

        Part(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.start = start;
            this.end = end;
            this.bodyStart = readHeader();
            this.type = contentType();
        }

        String header(String name) {
            for (String[] field : fields) {
                if (field[0].equalsIgnoreCase(name)) {
                    String line = field[1];
                    String value = line.substring(line.indexOf(':') + 1);
                    return value.replaceAll("\r?\n[ \t]", " ").strip();
                }
            }
            return null;
        }

        boolean isMultipart() {
            return type.getPrimaryType().equalsIgnoreCase("multipart");
        }

        boolean isMessage() {
            return type.getPrimaryType().equalsIgnoreCase("message") && type.getSubType().equalsIgnoreCase("rfc822");
        }

        private ContentType contentType() {
            String value = header("Content-Type");
            if (value != null) {
                try {
                    ContentType parsed = new ContentType(value);
                    if (parsed.getPrimaryType() != null && parsed.getSubType() != null) {
                        return parsed;
                    }
                } catch (ParseException e) {
                    // as if there were none (RFC 2045 §5.2)
                }
            }
            return new ContentType("text", "plain", new ParameterList());
        }

        /** Reads the header lines; returns where the content starts (after the blank line). */
        private int readHeader() {
            int i = start;
            StringBuilder current = null;
            String name = null;
            while (i < end) {
                int lineEnd = indexOf(bytes, (byte) '\n', i, end);
                int next = lineEnd < 0 ? end : lineEnd + 1;
                int contentEnd = lineEnd < 0 ? end : (lineEnd > i && bytes[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd);
                if (contentEnd == i) { // the blank line
                    flush(name, current);
                    return next;
                }
                String line = new String(bytes, i, contentEnd - i, StandardCharsets.UTF_8);
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                    current.append("\r\n").append(line);
                } else {
                    flush(name, current);
                    int colon = line.indexOf(':');
                    name = colon > 0 ? line.substring(0, colon).strip() : null;
                    current = new StringBuilder(line);
                }
                i = next;
            }
            flush(name, current);
            return end;
        }

        private void flush(String name, StringBuilder line) {
            if (name != null && line != null) {
                fields.add(new String[] {name, line.toString()});
            }
        }

        byte[] range(int from, int to) {
            byte[] copy = new byte[to - from];
            System.arraycopy(bytes, from, copy, 0, copy.length);
            return copy;
        }

        byte[] header() {
            return range(start, bodyStart);
        }

        byte[] content() {
            return range(bodyStart, end);
        }

        /** The header lines named (or, with {@code not}, all others), and the blank line. */
        byte[] headerFields(List<String> names, boolean not) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String[] field : fields) {
                boolean named = names.stream().anyMatch(n -> n.equalsIgnoreCase(field[0]));
                if (named != not) {
                    out.writeBytes(field[1].getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(new byte[] {'\r', '\n'});
                }
            }
            out.writeBytes(new byte[] {'\r', '\n'});
            return out.toByteArray();
        }

        int lines() {
            int count = 0;
            for (int i = bodyStart; i < end; i++) {
                if (bytes[i] == '\n') {
                    count++;
                }
            }
            return end > bodyStart && bytes[end - 1] != '\n' ? count + 1 : count;
        }
    }

    private MimeParts() {
    }

    static Part parse(byte[] bytes) {
        Part root = new Part(bytes, 0, bytes.length);
        split(root, 0);
        return root;
    }

    private static void split(Part part, int depth) {
        if (depth > 20) {
            return;
        }
        if (part.isMultipart()) {
            String boundary = part.type.getParameter("boundary");
            if (boundary == null || boundary.isEmpty()) {
                return;
            }
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int position = part.bodyStart;
            int contentStart = -1;
            while (true) {
                int found = delimiterAt(part.bytes, delimiter, position, part.end);
                if (found < 0) {
                    break;
                }
                int lineStart = found; // where "--boundary" starts
                if (contentStart >= 0) {
                    int contentEnd = lineStart;
                    if (contentEnd > contentStart && part.bytes[contentEnd - 1] == '\n') {
                        contentEnd--;
                        if (contentEnd > contentStart && part.bytes[contentEnd - 1] == '\r') {
                            contentEnd--;
                        }
                    }
                    Part child = new Part(part.bytes, contentStart, Math.max(contentStart, contentEnd));
                    split(child, depth + 1);
                    part.children.add(child);
                }
                int after = lineStart + delimiter.length;
                boolean close = after + 1 < part.end && part.bytes[after] == '-' && part.bytes[after + 1] == '-';
                int lineEnd = indexOf(part.bytes, (byte) '\n', after, part.end);
                if (close || lineEnd < 0) {
                    break;
                }
                contentStart = lineEnd + 1;
                position = contentStart;
            }
        } else if (part.isMessage()) {
            part.message = new Part(part.bytes, part.bodyStart, part.end);
            split(part.message, depth + 1);
        }
    }

    /** The next "--boundary" at the start of a line, from {@code from} (itself a line's start). */
    private static int delimiterAt(byte[] bytes, byte[] delimiter, int from, int end) {
        int i = from;
        while (i + delimiter.length <= end) {
            if (matches(bytes, delimiter, i)) {
                return i;
            }
            int newline = indexOf(bytes, (byte) '\n', i, end);
            if (newline < 0) {
                return -1;
            }
            i = newline + 1;
        }
        return -1;
    }

    private static boolean matches(byte[] bytes, byte[] what, int at) {
        for (int j = 0; j < what.length; j++) {
            if (bytes[at + j] != what[j]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] bytes, byte b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    // ---- IMAP forms ---------------------------------------------------------------------

    /** ENVELOPE (RFC 3501 §7.4.2) of a message's header. */
    static String envelope(Part message) {
        String from = addresses(message.header("From"));
        String sender = message.header("Sender") != null ? addresses(message.header("Sender")) : from;
        String replyTo = message.header("Reply-To") != null ? addresses(message.header("Reply-To")) : from;
        return "(" + ImapWriter.nstring(message.header("Date")) + " " + ImapWriter.nstring(message.header("Subject"))
                + " " + from + " " + sender + " " + replyTo + " " + addresses(message.header("To")) + " "
                + addresses(message.header("Cc")) + " " + addresses(message.header("Bcc")) + " "
                + ImapWriter.nstring(message.header("In-Reply-To")) + " "
                + ImapWriter.nstring(message.header("Message-ID")) + ")";
    }

    private static String addresses(String value) {
        if (value == null || value.isBlank()) {
            return "NIL";
        }
        InternetAddress[] parsed;
        try {
            parsed = InternetAddress.parseHeader(value, false);
        } catch (AddressException e) {
            return "NIL";
        }
        StringBuilder out = new StringBuilder("(");
        int count = 0;
        for (InternetAddress address : parsed) {
            String mailbox = address.getAddress();
            if (mailbox == null) {
                continue;
            }
            int at = mailbox.lastIndexOf('@');
            String personal = address.getPersonal();
            String name = null;
            if (personal != null) {
                try {
                    name = MimeUtility.encodeWord(personal, "UTF-8", null);
                } catch (java.io.UnsupportedEncodingException e) {
                    name = personal;
                }
            }
            out.append('(').append(ImapWriter.nstring(name)).append(" NIL ")
                    .append(ImapWriter.nstring(at < 0 ? mailbox : mailbox.substring(0, at))).append(' ')
                    .append(ImapWriter.nstring(at < 0 ? null : mailbox.substring(at + 1))).append(')');
            count++;
        }
        return count == 0 ? "NIL" : out.append(')').toString();
    }

    /** BODYSTRUCTURE (with extension data) or BODY (without) of a part. */
    static String bodyStructure(Part part, boolean extensions) {
        StringBuilder out = new StringBuilder("(");
        if (part.isMultipart() && !part.children.isEmpty()) {
            for (Part child : part.children) {
                out.append(bodyStructure(child, extensions));
            }
            out.append(' ').append(ImapWriter.quoted(part.type.getSubType().toUpperCase(Locale.ROOT)));
            if (extensions) {
                out.append(' ').append(parameters(part.type.getParameterList())).append(' ')
                        .append(disposition(part)).append(" NIL NIL");
            }
            return out.append(')').toString();
        }
        String encoding = part.header("Content-Transfer-Encoding");
        out.append(ImapWriter.quoted(part.type.getPrimaryType().toUpperCase(Locale.ROOT))).append(' ')
                .append(ImapWriter.quoted(part.type.getSubType().toUpperCase(Locale.ROOT))).append(' ')
                .append(parameters(part.type.getParameterList())).append(' ')
                .append(ImapWriter.nstring(part.header("Content-ID"))).append(' ')
                .append(ImapWriter.nstring(part.header("Content-Description"))).append(' ')
                .append(ImapWriter.quoted(encoding == null ? "7BIT" : encoding.toUpperCase(Locale.ROOT))).append(' ')
                .append(part.end - part.bodyStart);
        if (part.isMessage() && part.message != null) {
            out.append(' ').append(envelope(part.message)).append(' ').append(bodyStructure(part.message, extensions))
                    .append(' ').append(part.lines());
        } else if (part.type.getPrimaryType().equalsIgnoreCase("text")) {
            out.append(' ').append(part.lines());
        }
        if (extensions) {
            out.append(" NIL ").append(disposition(part)).append(" NIL NIL");
        }
        return out.append(')').toString();
    }

    private static String parameters(ParameterList list) {
        if (list == null || list.size() == 0) {
            return "NIL";
        }
        StringBuilder out = new StringBuilder("(");
        Enumeration<String> names = list.getNames();
        boolean first = true;
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (!first) {
                out.append(' ');
            }
            first = false;
            out.append(ImapWriter.quoted(name.toUpperCase(Locale.ROOT))).append(' ')
                    .append(ImapWriter.string(list.get(name)));
        }
        return out.append(')').toString();
    }

    private static String disposition(Part part) {
        String value = part.header("Content-Disposition");
        if (value == null) {
            return "NIL";
        }
        try {
            ContentDisposition disposition = new ContentDisposition(value);
            return "(" + ImapWriter.quoted(disposition.getDisposition().toUpperCase(Locale.ROOT)) + " "
                    + parameters(disposition.getParameterList()) + ")";
        } catch (ParseException | RuntimeException e) {
            return "NIL";
        }
    }
}
