package org.cmtp.it.support;

import java.util.ArrayList;
import java.util.List;

import org.cmtp.protocol.ReplyKind;

/**
 * What a server owes a client for a stream of bytes, written from PROTOCOL.md alone
 * (sections 1, 4, 4a, 5, 6 and the address rules of 7), not from the server's own
 * {@code CommandDecoder}: which replies, in order, and whether the server ends the session
 * itself. Used by FuzzIT as the expected answer, and compared with the decoder on the same
 * inputs (a difference is a finding in one of them or in PROTOCOL.md).
 *
 * <p>Where PROTOCOL.md leaves something to the server, this follows what the server
 * documents, and says so where it does:
 * <ul>
 * <li>The limits (§6 "the server's limits") are the server's settings: largest message,
 *     most attachments, longest log, passed in.</li>
 * <li>Bad commands: §1.5 says "after 10 consecutive bad commands, close"; the server counts
 *     them over the connection's whole life (README, {@code cmtp.max-bad-commands}: "a valid
 *     command in between does not reset the count"), a deliberate tightening. This oracle
 *     follows the README, since that is the behaviour the server promises its operators.</li>
 * <li>"Control characters" (§7) are C0, DEL and C1 (U+0000-U+001F, U+007F-U+009F).</li>
 * <li>A length over a limit is fatal (§6: "cannot be resynchronised"), and so is a string
 *     with no {@code \0} within 255 bytes (§ "string": at most 255 bytes; the end of the
 *     field cannot be found). Everything else wrong in a command whose extent is known
 *     (bad UTF-8, a bad address, a bad version) is answered {@code FAILURE} and the
 *     session goes on, the rest of the MAIL and its proof of work read and dropped.</li>
 * <li>The message size (§6: version field through the last attachment) is checked as soon
 *     as the lengths read so far exceed it (the server "replies at once, without reading
 *     the rest"): the header's lengths plus 8 bytes per declared attachment, then each
 *     string and attachment length as it arrives.</li>
 * </ul>
 */
public final class ProtocolOracle {

    private static final int MAX_WORD = 10;
    private static final int MAX_STRING = 255;
    private static final int HEADER = 4 + 4 + 8 + 8;
    private static final int PROOF_OF_WORK = 64;

    private final long maxMessage;
    private final long maxAttachments;
    private final long maxLog;
    private final int maxBadCommands;

    /** The server's limits: {@code cmtp.max-message-size}, {@code cmtp.max-attachments}, its log limit, {@code cmtp.max-bad-commands}. */
    public ProtocolOracle(long maxMessage, long maxAttachments, long maxLog, int maxBadCommands) {
        this.maxMessage = maxMessage;
        this.maxAttachments = maxAttachments;
        this.maxLog = maxLog;
        this.maxBadCommands = maxBadCommands;
    }

    /** The replies owed, and whether the server then ends the session (OBAI, a fatal error, too many bad commands). */
    public record Owed(List<ReplyKind> kinds, boolean serverEnds) {
    }

    /** Thrown inside: the stream ended in the middle of a command. */
    private static final class EndOfInput extends Exception {
        EndOfInput() {
            super(null, null, false, false);
        }
    }

    /** Thrown inside: an error after which the stream cannot be followed. */
    private static final class Fatal extends Exception {
        Fatal() {
            super(null, null, false, false);
        }
    }

    private final class Reader {
        private final byte[] in;
        private int at;

        Reader(byte[] in) {
            this.in = in;
        }

        int u8() throws EndOfInput {
            if (at >= in.length) {
                throw new EndOfInput();
            }
            return in[at++] & 0xff;
        }

        long unsigned(int bytes) throws EndOfInput {
            long value = 0;
            for (int i = 0; i < bytes; i++) {
                value = value << 8 | u8();
            }
            return value;
        }

        /** A string field: its bytes (without the NUL); Fatal after 255 bytes with no NUL. */
        byte[] string() throws EndOfInput, Fatal {
            int start = at;
            for (int n = 0; ; n++) {
                int b = u8();
                if (b == 0) {
                    return java.util.Arrays.copyOfRange(in, start, start + n);
                }
                if (n == MAX_STRING) {
                    throw new Fatal();
                }
            }
        }

        void skip(long count) throws EndOfInput {
            if (count > in.length - at) {
                at = in.length;
                throw new EndOfInput();
            }
            at += (int) count;
        }
    }

    public Owed owed(byte[] input) {
        Reader r = new Reader(input);
        List<ReplyKind> kinds = new ArrayList<>();
        int bad = 0;
        try {
            while (true) {
                // §1.3/1.4/1.5: a command word up to its NUL; a lone NUL is an empty command
                byte[] word = new byte[MAX_WORD];
                int length = 0;
                boolean overLong = false;
                int b;
                while ((b = r.u8()) != 0) {
                    if (length == MAX_WORD) {
                        overLong = true;
                    } else {
                        word[length++] = (byte) b;
                    }
                }
                if (length == 0 && !overLong) {
                    continue;
                }
                String command = overLong ? "" : new String(word, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
                boolean ok;
                ReplyKind kind;
                switch (command) {
                    case "OHAI", "NOOP", "HELP" -> {
                        kind = ReplyKind.TEXT;
                        ok = true;
                    }
                    case "OBAI" -> { // §1.6: "Good bye", then close
                        kinds.add(ReplyKind.TEXT);
                        return new Owed(kinds, true);
                    }
                    case "KEYREQUEST", "KEYBIND" -> { // §4, §4a: user; a domain only if the user is non-empty
                        byte[] user = r.string();
                        ok = user.length == 0 || validName(user);
                        if (user.length > 0) {
                            byte[] domain = r.string();
                            ok &= domain.length == 0 || validName(domain); // empty: this server's own domain
                        }
                        kind = command.equals("KEYBIND") ? ReplyKind.BOUND_KEY_OR_STATUS : ReplyKind.KEY_OR_STATUS;
                    }
                    case "LOGIN" -> { // §5
                        ok = validName(r.string());
                        kind = ReplyKind.XZIBIT_OR_STATUS;
                    }
                    case "MAIL" -> {
                        ok = mail(r);
                        kind = ReplyKind.STATUS;
                    }
                    default -> { // unknown or over-long word: signed FAILURE, session kept
                        ok = false;
                        kind = ReplyKind.STATUS;
                    }
                }
                kinds.add(ok ? kind : ReplyKind.STATUS);
                if (!ok && ++bad >= maxBadCommands) {
                    return new Owed(kinds, true);
                }
            }
        } catch (EndOfInput e) {
            return new Owed(kinds, false); // the client's end of stream inside (or between) commands: no reply owed
        } catch (Fatal e) {
            kinds.add(ReplyKind.STATUS); // signed FAILURE at once, then close
            return new Owed(kinds, true);
        }
    }

    /** §6: the message and its 64-byte proof of work; whether it is well-formed (Fatal when a limit is passed). */
    private boolean mail(Reader r) throws EndOfInput, Fatal {
        long version = r.unsigned(4);
        long attachments = r.unsigned(4);
        long log = r.unsigned(8);
        long body = r.unsigned(8);
        if (attachments > maxAttachments || Long.compareUnsigned(log, maxLog) > 0
                || Long.compareUnsigned(body, maxMessage) > 0) {
            throw new Fatal();
        }
        long size = HEADER + log + body + 8 * attachments; // each attachment has at least its length field
        sizeWithin(size);
        boolean ok = version == 0 || version == 1;
        byte[][] address = new byte[4][];
        for (int i = 0; i < 4; i++) {
            address[i] = r.string();
            size += address[i].length + 1L;
            sizeWithin(size);
        }
        // destination and source account may be empty (the server itself, §6/§7); domains may not
        ok &= (address[0].length == 0 || validName(address[0])) && validName(address[1])
                && (address[2].length == 0 || validName(address[2])) && validName(address[3]);
        int logStart = r.at;
        r.skip(log);
        ok &= utf8(java.util.Arrays.copyOfRange(r.in, logStart, r.at)); // "UTF-8 lines"
        r.skip(body);
        for (long i = 0; i < attachments; i++) {
            long length = r.unsigned(8);
            if (Long.compareUnsigned(length, maxMessage) > 0) {
                throw new Fatal();
            }
            size += length;
            sizeWithin(size);
            r.skip(length);
        }
        r.skip(PROOF_OF_WORK);
        return ok;
    }

    private void sizeWithin(long size) throws Fatal {
        if (size > maxMessage) {
            throw new Fatal();
        }
    }

    /** §7: non-empty UTF-8 without control characters, '/', '\' or "..". */
    static boolean validName(byte[] name) {
        if (name.length == 0 || !utf8(name)) {
            return false;
        }
        String text = new String(name, java.nio.charset.StandardCharsets.UTF_8);
        if (text.contains("/") || text.contains("\\") || text.contains("..")) {
            return false;
        }
        return text.codePoints().noneMatch(c -> c <= 0x1f || (c >= 0x7f && c <= 0x9f));
    }

    /** Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing over U+10FFFF. */
    static boolean utf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int more;
            int min;
            int cp;
            if (b < 0x80) {
                i++;
                continue;
            } else if (b >= 0xc2 && b <= 0xdf) {
                more = 1;
                min = 0x80;
                cp = b & 0x1f;
            } else if (b >= 0xe0 && b <= 0xef) {
                more = 2;
                min = 0x800;
                cp = b & 0x0f;
            } else if (b >= 0xf0 && b <= 0xf4) {
                more = 3;
                min = 0x10000;
                cp = b & 0x07;
            } else {
                return false;
            }
            if (i + more >= bytes.length) {
                return false; // cut off
            }
            for (int k = 1; k <= more; k++) {
                int c = bytes[i + k] & 0xff;
                if ((c & 0xc0) != 0x80) {
                    return false;
                }
                cp = cp << 6 | (c & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return false;
            }
            i += more + 1;
        }
        return true;
    }
}
