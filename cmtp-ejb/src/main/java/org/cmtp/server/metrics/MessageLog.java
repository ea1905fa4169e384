package org.cmtp.server.metrics;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One INFO line per message event, for operators and log collectors (README "Logs"):
 * {@code CMTP message stored id=42 hash=… account=bob domain=example.org from=alice@b.test size=1234 client=192.0.2.7}.
 * Names, addresses and sizes only, never a byte of content. Every value that is not plain
 * (letters, digits, {@code . _ - @ : + /}) is written in double quotes with JSON escapes, so
 * that a name from the wire can neither start a new line nor fake another field.
 * The logger is {@value #LOGGER}, so these lines can be routed or silenced on their own.
 */
public final class MessageLog {

    public static final String LOGGER = "org.cmtp.server.messages";
    private static final Logger LOG = Logger.getLogger(LOGGER);
    /** Characters of the receipt hash logged: the first 16 bytes, enough to find a receipt. */
    static final int HASH_HEX = 32;

    /** What happened to a message. */
    public enum Kind {
        /** Stored in a local mailbox. */
        STORED,
        /** Queued for relay to another domain. */
        QUEUED,
        /** Delivered to another domain's server. */
        RELAYED,
        /** Answered DELIVERYFAILURE (no such account, relay not allowed, over quota, …). */
        REFUSED,
        /** Answered FAILURE: could not be stored or queued (the sender keeps it). */
        FAILED,
        /** Given up by the relay worker; the sender is sent a notice. */
        BOUNCED;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private MessageLog(Kind kind) {
        this.kind = kind;
    }

    public static MessageLog of(Kind kind) {
        return new MessageLog(kind);
    }

    public MessageLog id(long id) {
        fields.put("id", id);
        return this;
    }

    /** The receipt hash (BLAKE2b-512 of the message as sent): its first 16 bytes, hex. */
    public MessageLog hash(byte[] receiptHash) {
        if (receiptHash != null) {
            String hex = HexFormat.of().formatHex(receiptHash);
            fields.put("hash", hex.substring(0, Math.min(HASH_HEX, hex.length())));
        }
        return this;
    }

    public MessageLog account(String account) {
        fields.put("account", account);
        return this;
    }

    public MessageLog domain(String domain) {
        fields.put("domain", domain);
        return this;
    }

    public MessageLog from(String sender) {
        fields.put("from", sender);
        return this;
    }

    public MessageLog size(long bytes) {
        fields.put("size", bytes);
        return this;
    }

    public MessageLog client(String address) {
        fields.put("client", address);
        return this;
    }

    public MessageLog with(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    /** Writes the line at INFO. */
    public void log() {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.info(line());
        }
    }

    /** The line as logged. */
    public String line() {
        StringBuilder line = new StringBuilder(120).append("CMTP message ").append(kind.word());
        fields.forEach((name, value) -> {
            if (value != null) {
                line.append(' ').append(name).append('=');
                appendValue(line, value.toString());
            }
        });
        return line.toString();
    }

    static void appendValue(StringBuilder out, String value) {
        if (!value.isEmpty() && value.chars().allMatch(MessageLog::plain)) {
            out.append(value);
            return;
        }
        out.append('"');
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && (Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR))) {
                        for (char unit : Character.toChars(c)) {
                            out.append(String.format("\\u%04x", (int) unit));
                        }
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        out.append('"');
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-' || c == '@' || c == ':' || c == '+' || c == '/';
    }
}
