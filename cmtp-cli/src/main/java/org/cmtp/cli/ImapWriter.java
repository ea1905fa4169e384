package org.cmtp.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** IMAP's string forms (RFC 3501 §4.3) and a response being written to the client. */
final class ImapWriter {

    private final OutputStream out;

    ImapWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes a whole line (CRLF added) and flushes. */
    synchronized void line(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    synchronized void raw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    synchronized void text(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    synchronized void literal(byte[] bytes) throws IOException {
        out.write(("{" + bytes.length + "}\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    /** NIL, a quoted string, or a literal for text that cannot be quoted. */
    static String nstring(String value) {
        return value == null ? "NIL" : string(value);
    }

    static String string(String value) {
        if (value == null) {
            return "NIL";
        }
        boolean quotable = value.length() < 1000;
        for (int i = 0; i < value.length() && quotable; i++) {
            char c = value.charAt(i);
            quotable = c >= 0x20 && c < 0x7f;
        }
        if (quotable) {
            return quoted(value);
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return "{" + utf8.length + "}\r\n" + value;
    }

    /** A quoted string; the caller knows it holds no CR, LF or 8-bit characters. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
