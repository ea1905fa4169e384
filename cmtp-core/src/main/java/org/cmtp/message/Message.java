package org.cmtp.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cmtp.crypto.Blake2b;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.MalformedMessageException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.wire.TruncatedInputException;
import org.cmtp.wire.WireString;

/**
 * A CMTP message (PROTOCOL.md §6): the unit a client sends with MAIL and a server stores.
 *
 * <p>Immutable. A message keeps its own wire form, because that form is canonical (fixed
 * integers, exact lengths, strict UTF-8): one message has exactly one encoding. So a
 * decoded message <em>is</em> the bytes the client sent, {@link #encode()} gives them back
 * without re-encoding anything, and equality is equality of those bytes. The body and the
 * attachments are opaque here: sealed boxes for version 1, a {@link PlaintextBody} and
 * {@link Attachment}s for version 0; opening and sealing happen in the crypto layer.
 *
 * <p>Wire layout: {@code u32 version ‖ u32 attachment count ‖ u64 log length ‖ u64 body
 * length ‖ destination account ‖ destination domain ‖ source account ‖ source domain ‖ log ‖
 * body ‖ (u64 length ‖ bytes) per attachment}.
 */
public final class Message {

    /** Crypto version 0: body and attachments are in the clear. */
    public static final int PLAINTEXT = 0;
    /** Crypto version 1: body and attachments are sealed boxes to the recipient's key. */
    public static final int SEALED = 1;

    /** version, attachment count, log length, body length. */
    static final int HEADER_BYTES = 4 + 4 + 8 + 8;
    /** Offset of the log length in the header, which {@link #appendLogLine} rewrites. */
    private static final int LOG_LENGTH_OFFSET = 8;

    private final byte[] wire;
    private final int version;
    private final MailAddress destination;
    private final MailAddress source;
    private final String log;
    private final int bodyOffset;
    private final int bodyLength;
    private final int[] attachmentOffsets;
    private final int[] attachmentLengths;

    /**
     * Builds a message from its parts.
     *
     * @param version {@link #PLAINTEXT} or {@link #SEALED}
     * @param destination the recipient; an empty account means the destination server
     * @param source the sender; an empty account means the source server
     * @param log UTF-8 lines, each ending in {@code \n}; empty for a message a client sends
     * @param attachments each a sealed (version 1) or plain (version 0) attachment blob
     * @throws IllegalArgumentException if a part breaks the format or PROTOCOL.md §7, so that
     *                                  every message that can be built can also be decoded
     */
    public Message(int version, MailAddress destination, MailAddress source, String log,
                   byte[] body, List<byte[]> attachments) {
        this(Layout.encode(version, destination, source, log, body, attachments));
    }

    /** Takes over a layout whose wire array nobody else holds. */
    Message(Layout layout) {
        this.wire = layout.wire;
        this.version = layout.version;
        this.destination = layout.destination;
        this.source = layout.source;
        this.log = layout.log;
        this.bodyOffset = layout.bodyOffset;
        this.bodyLength = layout.bodyLength;
        this.attachmentOffsets = layout.attachmentOffsets;
        this.attachmentLengths = layout.attachmentLengths;
    }

    /** Decodes a complete message (e.g. a stored one) under the default limits. */
    public static Message decode(byte[] wire) throws ProtocolException {
        return decode(wire, ProtocolLimits.DEFAULTS);
    }

    /**
     * Decodes a complete message: exactly the message, no bytes before or after it.
     *
     * @throws ProtocolException the same typed errors as MAIL on the command stream, plus
     *                           {@link TruncatedInputException} if the array ends early and
     *                           {@link MalformedMessageException} if bytes follow the message
     */
    public static Message decode(byte[] wire, ProtocolLimits limits) throws ProtocolException {
        MessageReader reader = new MessageReader(limits);
        ByteBuffer in = ByteBuffer.wrap(wire);
        if (!reader.read(in)) {
            throw new TruncatedInputException(reader.currentField());
        }
        if (in.hasRemaining()) {
            throw new MalformedMessageException("message", in.remaining() + " bytes after the last attachment");
        }
        return reader.message();
    }

    /**
     * Produces the stored form of a received message: the same bytes with one more line at
     * the end of the log and the log length updated, the only change a server makes to a
     * message (PROTOCOL.md §6). Works on the raw bytes, so nothing else is re-encoded; it
     * reads only the header and the four strings, so call it on bytes a decoder accepted.
     *
     * @param line one line of text; its final {@code \n} is added if missing
     * @throws IllegalArgumentException if {@code line} holds a control character (a second
     *                                  line break included) or cannot be encoded
     * @throws ProtocolException if {@code message} is too short for its own header, strings
     *                           or log
     */
    public static byte[] appendLogLine(byte[] message, String line) throws ProtocolException {
        return insertLogLine(message, logEnd(message), line);
    }

    /**
     * This message's stored form: {@link #appendLogLine} on its own bytes, which are known
     * to be well formed, in a single copy (a received message can weigh 25 MiB).
     *
     * @throws IllegalArgumentException as {@link #appendLogLine}
     */
    public byte[] withLogLine(String line) {
        return insertLogLine(wire, bodyOffset, line);
    }

    /**
     * BLAKE2b-512 of the wire form, without copying it: the context a server's receipt for this
     * message is signed over (PROTOCOL.md §3).
     */
    public byte[] hash512() {
        return Blake2b.hash512(wire);
    }

    /** {@code message} with the log line inserted at {@code logEnd}, the log length updated. */
    private static byte[] insertLogLine(byte[] message, int logEnd, String line) {
        byte[] lineBytes = logLine(line);
        if (message.length > ProtocolLimits.LARGEST_MESSAGE_BYTES - lineBytes.length) {
            throw new IllegalArgumentException("the message would become too large for an array");
        }
        long logLength = ByteBuffer.wrap(message).getLong(LOG_LENGTH_OFFSET);
        byte[] stored = new byte[message.length + lineBytes.length];
        System.arraycopy(message, 0, stored, 0, logEnd);
        ByteBuffer.wrap(stored).putLong(LOG_LENGTH_OFFSET, logLength + lineBytes.length);
        System.arraycopy(lineBytes, 0, stored, logEnd, lineBytes.length);
        System.arraycopy(message, logEnd, stored, logEnd + lineBytes.length, message.length - logEnd);
        return stored;
    }

    private static byte[] logLine(String line) {
        String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        if (text.isEmpty() || text.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a log line is one non-empty line of text without control characters");
        }
        return WireString.encodeUtf8("log line", text + "\n");
    }

    /** @return the offset just after the log of a raw message */
    private static int logEnd(byte[] message) throws ProtocolException {
        if (message.length < HEADER_BYTES) {
            throw new TruncatedInputException("message header");
        }
        ByteBuffer in = ByteBuffer.wrap(message);
        long logLength = in.getLong(LOG_LENGTH_OFFSET);
        in.position(HEADER_BYTES);
        for (String field : MessageReader.ADDRESS_FIELDS) {
            WireString.skip(in, field);
        }
        if (Long.compareUnsigned(logLength, in.remaining()) > 0) {
            throw new TruncatedInputException("log");
        }
        return in.position() + (int) logLength;
    }

    /**
     * The length of each attachment of a raw message, read from its header and length
     * fields only (nothing is copied or decoded): what a mailbox listing shows.
     *
     * @throws ProtocolException if the bytes end before the lengths say they should
     */
    public static long[] attachmentLengths(byte[] message) throws ProtocolException {
        int logEnd = logEnd(message);
        ByteBuffer in = ByteBuffer.wrap(message);
        long count = Integer.toUnsignedLong(in.getInt(4));
        long bodyLength = in.getLong(16);
        if (bodyLength < 0 || bodyLength > message.length - logEnd || count > (message.length - logEnd) / 8) {
            throw new TruncatedInputException("body");
        }
        long[] lengths = new long[(int) count];
        long position = logEnd + bodyLength;
        for (int i = 0; i < lengths.length; i++) {
            if (position + 8 > message.length) {
                throw new TruncatedInputException("attachment length");
            }
            lengths[i] = in.getLong((int) position);
            position += 8;
            if (lengths[i] < 0 || lengths[i] > message.length - position) {
                throw new TruncatedInputException("attachment");
            }
            position += lengths[i];
        }
        return lengths;
    }

    /** @return {@link #PLAINTEXT} or {@link #SEALED} */
    public int version() {
        return version;
    }

    /** @return the recipient; an empty account means the destination server itself */
    public MailAddress destination() {
        return destination;
    }

    /** @return the sender; an empty account means the source server itself */
    public MailAddress source() {
        return source;
    }

    /** @return the log, one line per server that accepted the message */
    public String log() {
        return log;
    }

    /** @return a copy of the body */
    public byte[] body() {
        return Arrays.copyOfRange(wire, bodyOffset, bodyOffset + bodyLength);
    }

    public int bodyLength() {
        return bodyLength;
    }

    public int attachmentCount() {
        return attachmentOffsets.length;
    }

    /** @return a copy of attachment {@code index} (counting from 0) */
    public byte[] attachment(int index) {
        return Arrays.copyOfRange(wire, attachmentOffsets[index], attachmentOffsets[index] + attachmentLengths[index]);
    }

    /** @return copies of all attachments, in order */
    public List<byte[]> attachments() {
        List<byte[]> attachments = new ArrayList<>(attachmentCount());
        for (int i = 0; i < attachmentCount(); i++) {
            attachments.add(attachment(i));
        }
        return attachments;
    }

    /** @return a copy of the wire form: version field through last attachment */
    public byte[] encode() {
        return wire.clone();
    }

    /** @return the size of the wire form in bytes */
    public int encodedLength() {
        return wire.length;
    }

    /** @return whether {@code bytes} is exactly this message's wire form (no copy made) */
    public boolean isEncodedAs(byte[] bytes) {
        return Arrays.equals(wire, bytes);
    }

    /** Two messages are equal when their wire forms are, i.e. when every field is. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Message other && Arrays.equals(wire, other.wire);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(wire);
    }

    @Override
    public String toString() {
        return "Message[version " + version + ", " + source + " -> " + destination
                + ", log " + log.length() + " chars, body " + bodyLength + " bytes, "
                + attachmentCount() + " attachments]";
    }

    /** Where each part of a message sits in its wire form. */
    record Layout(byte[] wire, int version, MailAddress destination, MailAddress source, String log,
                  int bodyOffset, int bodyLength, int[] attachmentOffsets, int[] attachmentLengths) {

        static Layout encode(int version, MailAddress destination, MailAddress source, String log,
                             byte[] body, List<byte[]> attachments) {
            requireVersion(version);
            requireAddress(destination, "destination");
            requireAddress(source, "source");
            byte[][] strings = {
                WireString.encode("destination account", destination.account()),
                WireString.encode("destination domain", destination.domain()),
                WireString.encode("source account", source.account()),
                WireString.encode("source domain", source.domain()),
            };
            byte[] logBytes = WireString.encodeUtf8("log", Objects.requireNonNull(log, "log"));
            List<byte[]> blobs = List.copyOf(attachments);
            ByteBuffer out = ByteBuffer.allocate(size(strings, logBytes, body, blobs));
            out.putInt(version).putInt(blobs.size()).putLong(logBytes.length).putLong(body.length);
            for (byte[] string : strings) {
                out.put(string).put((byte) 0);
            }
            out.put(logBytes);
            int bodyOffset = out.position();
            out.put(body);
            int[] offsets = new int[blobs.size()];
            int[] lengths = new int[blobs.size()];
            for (int i = 0; i < offsets.length; i++) {
                byte[] blob = blobs.get(i);
                out.putLong(blob.length);
                offsets[i] = out.position();
                lengths[i] = blob.length;
                out.put(blob);
            }
            return new Layout(out.array(), version, destination, source, log, bodyOffset, body.length, offsets, lengths);
        }

        private static int size(byte[][] strings, byte[] log, byte[] body, List<byte[]> attachments) {
            long size = HEADER_BYTES + (long) log.length + body.length;
            for (byte[] string : strings) {
                size += string.length + 1;
            }
            for (byte[] attachment : attachments) {
                size += 8 + attachment.length;
            }
            if (size > ProtocolLimits.LARGEST_MESSAGE_BYTES) {
                throw new IllegalArgumentException("a message of " + size + " bytes does not fit in an array");
            }
            return (int) size;
        }

        private static void requireVersion(int version) {
            if (version != PLAINTEXT && version != SEALED) {
                throw new IllegalArgumentException("message version must be 0 or 1, not " + version);
            }
        }

        private static void requireAddress(MailAddress address, String role) {
            try {
                address.validateAllowingServer(role);
            } catch (InvalidAddressException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }
}
