package org.cmtp.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads IMAP commands (RFC 3501 §9): atoms, quoted strings, literals {@code {n}} (after a
 * {@code +} continuation) and {@code {n+}} (LITERAL+), parenthesised lists; an atom may hold
 * a bracketed part with spaces ({@code BODY.PEEK[HEADER.FIELDS (FROM)]<0.10>}). Lines and
 * literals are bounded; a partial line survives a read timeout (IDLE polls that way).
 */
final class ImapInput {

    static final int MAX_LINE = 64 * 1024;

    /** A command that cannot be parsed: answered BAD, the session goes on. */
    static final class BadCommand extends Exception {
        final String tag;

        BadCommand(String tag, String message) {
            super(message);
            this.tag = tag;
        }
    }

    /** A literal's bytes, kept apart from strings (APPEND's message). */
    record Literal(byte[] bytes) {
        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    interface Continuation {
        void ready() throws IOException;
    }

    private final InputStream in;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final long maxLiteral;
    private byte[] line;
    private int pos;
    /** The command's tag once read: what a BAD answer for this line carries, "*" before. */
    private String tag;

    ImapInput(InputStream in, long maxLiteral) {
        this.in = in;
        this.maxLiteral = maxLiteral;
    }

    /** One line without CRLF; keeps what was read when the socket's timeout strikes. */
    byte[] readLine() throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("client closed the connection");
            }
            if (b == '\n') {
                byte[] bytes = partial.toByteArray();
                partial.reset();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return java.util.Arrays.copyOf(bytes, length);
            }
            if (partial.size() >= MAX_LINE) {
                partial.reset();
                while (b != '\n') { // skip the rest of the overlong line
                    b = in.read();
                    if (b < 0) {
                        throw new EOFException("client closed the connection");
                    }
                }
                return null;
            }
            partial.write(b);
        }
    }

    /** Tag, then the command's words; a too long line gives an empty list. */
    List<Object> readCommand(Continuation continuation) throws IOException, BadCommand {
        line = readLine();
        pos = 0;
        tag = "*";
        if (line == null) {
            throw new BadCommand("*", "line too long");
        }
        List<Object> words = new ArrayList<>();
        parseInto(words, continuation, 0);
        return words;
    }

    private void parseInto(List<Object> words, Continuation continuation, int depth) throws IOException, BadCommand {
        while (true) {
            while (pos < line.length && line[pos] == ' ') {
                pos++;
            }
            if (pos >= line.length) {
                if (depth > 0) {
                    throw new BadCommand(tag, "unbalanced parentheses");
                }
                return;
            }
            byte c = line[pos];
            if (c == '(') {
                pos++;
                List<Object> inner = new ArrayList<>();
                parseInto(inner, continuation, depth + 1);
                words.add(inner);
            } else if (c == ')') {
                if (depth == 0) {
                    throw new BadCommand(tag, "unexpected ')'");
                }
                pos++;
                return;
            } else if (c == '"') {
                words.add(quoted());
            } else if (c == '{') {
                words.add(literal(continuation));
            } else {
                words.add(atom());
            }
            if (depth == 0 && words.size() == 1 && words.get(0) instanceof String first) {
                tag = first;
            }
        }
    }

    private String quoted() throws BadCommand {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pos++;
        while (pos < line.length) {
            byte c = line[pos++];
            if (c == '"') {
                return out.toString(StandardCharsets.UTF_8);
            }
            if (c == '\\' && pos < line.length) {
                c = line[pos++];
            }
            out.write(c);
        }
        throw new BadCommand(tag, "unterminated quoted string");
    }

    private Literal literal(Continuation continuation) throws IOException, BadCommand {
        int close = pos;
        while (close < line.length && line[close] != '}') {
            close++;
        }
        if (close != line.length - 1) {
            throw new BadCommand(tag, "a literal's {n} must end the line");
        }
        String spec = new String(line, pos + 1, close - pos - 1, StandardCharsets.US_ASCII);
        boolean synchronizing = !spec.endsWith("+");
        long length;
        try {
            length = Long.parseLong(synchronizing ? spec : spec.substring(0, spec.length() - 1));
        } catch (NumberFormatException e) {
            throw new BadCommand(tag, "bad literal length {" + spec + "}");
        }
        if (length < 0 || length > maxLiteral) {
            if (!synchronizing) {
                throw new IOException("a non-synchronizing literal of " + length + " bytes: closing");
            }
            throw new BadCommand(tag, "[TOOBIG] literal of " + length + " bytes; at most " + maxLiteral);
        }
        if (synchronizing) {
            continuation.ready();
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("client closed the connection inside a literal");
        }
        line = readLine();
        pos = 0;
        if (line == null) {
            throw new BadCommand(tag, "line too long");
        }
        return new Literal(bytes);
    }

    private String atom() {
        int start = pos;
        int brackets = 0;
        while (pos < line.length) {
            byte c = line[pos];
            if (c == '[') {
                brackets++;
            } else if (c == ']') {
                brackets--;
            } else if (brackets <= 0 && (c == ' ' || c == '(' || c == ')')) {
                break;
            }
            pos++;
        }
        return new String(line, start, pos - start, StandardCharsets.UTF_8);
    }
}
