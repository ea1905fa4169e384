package org.cmtp.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.cmtp.wire.BadVersionException;
import org.cmtp.wire.FixedField;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.LengthLimitExceededException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.wire.StringField;
import org.cmtp.wire.WireString;

/**
 * Reads one {@link Message} from bytes that arrive in pieces of any size: the message part
 * of a MAIL command, and {@link Message#decode} on a whole array.
 *
 * <p>A state machine over the fields of PROTOCOL.md §6. Each byte is looked at once, so
 * reading is linear in the message size however it is chunked, and memory grows only as
 * bytes arrive (a peer that declares 25 MiB and sends nothing costs nothing).
 *
 * <p>Two kinds of problem, told apart by when they can be recovered from:
 * <ul>
 * <li>Fatal ones are thrown by {@link #read} as soon as they are seen: a length or count
 *     over a {@link ProtocolLimits} limit (checked the moment the length is read, before
 *     anything is allocated for it), and a string with no {@code \0} within 255 bytes.
 *     After them the extent of the message is unknown or refused.</li>
 * <li>A <em>defect</em> (bad version, a string or the log not UTF-8, an address breaking
 *     §7) is found when the field it is in has been framed. The reader remembers the first
 *     one, stops keeping bytes and goes on consuming the message to its end without storing
 *     it; {@link #message()} then throws the defect, recoverably, since the stream is
 *     positioned just after the message.</li>
 * </ul>
 * A reader reads one message; it is not thread-safe.
 */
public final class MessageReader {

    /** The four address strings, in wire order, as named in errors. */
    static final String[] ADDRESS_FIELDS = {
        "destination account", "destination domain", "source account", "source domain",
    };

    private enum Stage { HEADER, ADDRESS, LOG, BODY, ATTACHMENT_LENGTH, ATTACHMENT, DONE }

    private static final int FIRST_CAPACITY = 4096;

    private final ProtocolLimits limits;
    private final FixedField header = new FixedField(Message.HEADER_BYTES);
    private final StringField string = new StringField();
    private final FixedField attachmentLength = new FixedField(8);
    private final String[] addressParts = new String[ADDRESS_FIELDS.length];

    private Stage stage = Stage.HEADER;
    private int version;
    private int logLength;
    private int bodyLength;
    private int addressIndex;
    private int attachmentIndex;
    private int attachmentLengthsRead;
    private int[] attachmentOffsets;
    private int[] attachmentLengths;
    /** What the lengths read so far say the message will weigh; never above the limit. */
    private long declaredSize;
    /** Bytes still to come in the current log, body or attachment. */
    private int remaining;
    private int logOffset;
    private int bodyOffset;
    private String log;

    /** The message bytes kept so far; null before the header and after a defect. */
    private byte[] raw;
    private int size;
    private ProtocolException defect;
    private Message message;

    public MessageReader(ProtocolLimits limits) {
        this.limits = limits;
    }

    /**
     * Consumes bytes of the message from {@code in}, and no byte past its end.
     *
     * @return true once the whole message has been read
     * @throws ProtocolException a fatal problem; the reader must then be discarded
     */
    public boolean read(ByteBuffer in) throws ProtocolException {
        while (stage != Stage.DONE && in.hasRemaining()) {
            switch (stage) {
                case HEADER -> {
                    if (header.fill(in)) {
                        acceptHeader();
                    }
                }
                case ADDRESS -> {
                    if (string.fill(in, ADDRESS_FIELDS[addressIndex])) {
                        acceptAddressPart();
                    }
                }
                case LOG, BODY, ATTACHMENT -> readCounted(in);
                case ATTACHMENT_LENGTH -> {
                    if (attachmentLength.fill(in)) {
                        acceptAttachmentLength();
                    }
                }
                default -> throw new IllegalStateException(stage.name());
            }
        }
        return stage == Stage.DONE;
    }

    /** @return true once the whole message has been read */
    public boolean isComplete() {
        return stage == Stage.DONE;
    }

    /** @return true once any byte has been read */
    public boolean hasStarted() {
        return stage != Stage.HEADER || !header.isEmpty();
    }

    /** @return the field being read, to name in errors (e.g. for a truncated stream) */
    public String currentField() {
        return switch (stage) {
            case HEADER -> "message header";
            case ADDRESS -> ADDRESS_FIELDS[addressIndex];
            case LOG -> "log";
            case BODY -> "body";
            case ATTACHMENT_LENGTH -> "attachment " + (attachmentIndex + 1) + " length";
            case ATTACHMENT -> "attachment " + (attachmentIndex + 1);
            case DONE -> "nothing (message complete)";
        };
    }

    /**
     * @return the message read
     * @throws ProtocolException the first defect found, always recoverable
     * @throws IllegalStateException if the message is not complete yet
     */
    public Message message() throws ProtocolException {
        if (stage != Stage.DONE) {
            throw new IllegalStateException("message incomplete, reading " + currentField());
        }
        if (defect != null) {
            throw defect;
        }
        if (message == null) {
            byte[] wire = size == raw.length ? raw : Arrays.copyOf(raw, size);
            raw = null;
            MailAddress destination = new MailAddress(addressParts[0], addressParts[1]);
            MailAddress source = new MailAddress(addressParts[2], addressParts[3]);
            message = new Message(new Message.Layout(wire, version, destination, source, log,
                    bodyOffset, bodyLength, attachmentOffsets, attachmentLengths));
        }
        return message;
    }

    private void acceptHeader() throws ProtocolException {
        long versionField = header.u32(0);
        long count = header.u32(4);
        long log = header.u64(8);
        long body = header.u64(16);
        ProtocolLimits.check("attachment count", count, limits.maxAttachments());
        ProtocolLimits.check("log", log, limits.maxLogBytes());
        ProtocolLimits.check("body", body, limits.maxMessageBytes());
        declaredSize = Message.HEADER_BYTES + log + body + 8 * count;
        checkDeclaredSize();
        logLength = (int) log;
        bodyLength = (int) body;
        attachmentOffsets = new int[(int) count];
        attachmentLengths = new int[(int) count];
        version = (int) versionField;
        if (versionField != Message.PLAINTEXT && versionField != Message.SEALED) {
            noteDefect(new BadVersionException("message version", versionField, true));
        }
        keep(header);
        stage = Stage.ADDRESS;
        string.clear();
    }

    private void acceptAddressPart() throws ProtocolException {
        String field = ADDRESS_FIELDS[addressIndex];
        declaredSize += string.length() + 1;
        checkDeclaredSize();
        if (defect == null) {
            try {
                addressParts[addressIndex] = string.decode(field);
            } catch (ProtocolException notUtf8) {
                noteDefect(notUtf8);
            }
        }
        keep(string);
        string.clear();
        if (++addressIndex == ADDRESS_FIELDS.length) {
            validateAddresses();
            logOffset = size;
            startCounted(Stage.LOG, logLength);
        }
    }

    private void validateAddresses() {
        if (defect != null) {
            return;
        }
        try {
            MailAddress.validateAccountAllowingServer(ADDRESS_FIELDS[0], addressParts[0]);
            MailAddress.validateName(ADDRESS_FIELDS[1], addressParts[1]);
            MailAddress.validateAccountAllowingServer(ADDRESS_FIELDS[2], addressParts[2]);
            MailAddress.validateName(ADDRESS_FIELDS[3], addressParts[3]);
        } catch (InvalidAddressException e) {
            noteDefect(e);
        }
    }

    private void acceptAttachmentLength() throws ProtocolException {
        long length = attachmentLength.u64(0);
        ProtocolLimits.check("attachment " + (attachmentIndex + 1), length, limits.maxMessageBytes());
        declaredSize += length;
        checkDeclaredSize();
        attachmentLengthsRead++;
        keep(attachmentLength);
        attachmentLength.clear();
        attachmentOffsets[attachmentIndex] = size;
        attachmentLengths[attachmentIndex] = (int) length;
        startCounted(Stage.ATTACHMENT, (int) length);
    }

    /** Enters a field of known length; an empty one is finished at once, without input. */
    private void startCounted(Stage next, int length) {
        stage = next;
        remaining = length;
        if (remaining == 0) {
            finishCounted();
        }
    }

    private void readCounted(ByteBuffer in) {
        int n = Math.min(remaining, in.remaining());
        if (defect == null) {
            ensureCapacity(size + n);
            in.get(raw, size, n);
            size += n;
        } else {
            in.position(in.position() + n);
        }
        remaining -= n;
        if (remaining == 0) {
            finishCounted();
        }
    }

    private void finishCounted() {
        switch (stage) {
            case LOG -> {
                decodeLog();
                bodyOffset = size;
                startCounted(Stage.BODY, bodyLength);
            }
            case BODY -> nextAttachment();
            case ATTACHMENT -> {
                attachmentIndex++;
                nextAttachment();
            }
            default -> throw new IllegalStateException(stage.name());
        }
    }

    private void decodeLog() {
        if (defect == null) {
            try {
                log = WireString.decodeUtf8(raw, logOffset, logLength, "log");
            } catch (ProtocolException notUtf8) {
                noteDefect(notUtf8);
            }
        }
    }

    private void nextAttachment() {
        stage = attachmentIndex == attachmentOffsets.length ? Stage.DONE : Stage.ATTACHMENT_LENGTH;
    }

    private void checkDeclaredSize() throws LengthLimitExceededException {
        ProtocolLimits.check("message", declaredSize, limits.maxMessageBytes());
    }

    /** Remembers the first defect; from then on the message is consumed but not kept. */
    private void noteDefect(ProtocolException problem) {
        if (defect == null) {
            defect = problem;
            raw = null;
        }
    }

    private void keep(FixedField field) {
        if (defect == null) {
            ensureCapacity(size + field.size());
            field.copyTo(raw, size);
            size += field.size();
        }
    }

    private void keep(StringField field) {
        if (defect == null) {
            byte[] bytes = field.bytes();
            ensureCapacity(size + bytes.length + 1);
            System.arraycopy(bytes, 0, raw, size, bytes.length);
            size += bytes.length;
            raw[size++] = 0;
        }
    }

    /**
     * Grows the buffer geometrically (linear total copying), never past what the message
     * can still weigh: its exact size once every attachment length is known, the limit
     * before that, so a message without attachments needs no final trimming copy.
     */
    private void ensureCapacity(int needed) {
        int capacity = raw == null ? 0 : raw.length;
        if (needed <= capacity) {
            return;
        }
        boolean sizeKnown = addressIndex == ADDRESS_FIELDS.length
                && attachmentLengthsRead == attachmentOffsets.length;
        long bound = sizeKnown ? declaredSize : limits.maxMessageBytes();
        int grown = (int) Math.min(bound, Math.max(FIRST_CAPACITY, 2L * capacity));
        int newCapacity = Math.max(needed, grown);
        raw = raw == null ? new byte[newCapacity] : Arrays.copyOf(raw, newCapacity);
    }
}
