package org.cmtp.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.cmtp.wire.MalformedMessageException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.TruncatedInputException;
import org.cmtp.wire.WireString;

/**
 * A file attached to a message, in the form that is sealed (version 1) or sent as is
 * (version 0): the file name in a 255-byte field padded with NULs, then the file bytes
 * (PROTOCOL.md §6). A name of exactly 255 bytes fills the field and has no NUL.
 *
 * <p>The name is the sender's: a client must not use it as a path without sanitising it.
 */
public final class Attachment {

    /** Size of the NUL-padded file-name field. */
    public static final int NAME_FIELD_BYTES = WireString.MAX_BYTES;

    private final String fileName;
    private final byte[] data;

    /**
     * @throws IllegalArgumentException if the name has a NUL or is over 255 UTF-8 bytes
     */
    public Attachment(String fileName, byte[] data) {
        WireString.encode("attachment file name", fileName);
        this.fileName = fileName;
        this.data = data.clone();
    }

    public String fileName() {
        return fileName;
    }

    /** @return a copy of the file bytes */
    public byte[] data() {
        return data.clone();
    }

    /** @return the blob: name field ‖ file bytes */
    public byte[] encode() {
        byte[] name = WireString.encode("attachment file name", fileName);
        return ByteBuffer.allocate(NAME_FIELD_BYTES + data.length)
                .put(name)
                .position(NAME_FIELD_BYTES)
                .put(data)
                .array();
    }

    /**
     * Decodes a blob (an opened sealed attachment, or a version-0 attachment). Padding after
     * the name must be NUL, so that a blob decodes to one attachment that encodes back to it.
     *
     * @throws ProtocolException a blob shorter than the name field, non-NUL padding, or a
     *                           name that is not UTF-8
     */
    public static Attachment decode(byte[] blob) throws ProtocolException {
        if (blob.length < NAME_FIELD_BYTES) {
            throw new TruncatedInputException("attachment file name");
        }
        int nameLength = 0;
        while (nameLength < NAME_FIELD_BYTES && blob[nameLength] != 0) {
            nameLength++;
        }
        for (int i = nameLength; i < NAME_FIELD_BYTES; i++) {
            if (blob[i] != 0) {
                throw new MalformedMessageException("attachment file name", "padding after the name is not all NUL");
            }
        }
        String name = WireString.decodeUtf8(blob, 0, nameLength, "attachment file name");
        return new Attachment(name, Arrays.copyOfRange(blob, NAME_FIELD_BYTES, blob.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attachment other && fileName.equals(other.fileName) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String start = HexFormat.of().formatHex(data, 0, Math.min(data.length, 8));
        return "Attachment[" + fileName + ", " + data.length + " bytes: " + start + (data.length > 8 ? "…]" : "]");
    }
}
