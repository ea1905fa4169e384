package org.cmtp.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects one {@code \0}-terminated string whose bytes may arrive across any number of
 * reads. It never holds more than 255 bytes: the 256th byte that is not {@code \0} is an
 * error, so a peer cannot make a decoder buffer an unbounded "string".
 */
public final class StringField {

    private final byte[] bytes = new byte[WireString.MAX_BYTES];
    private int length;

    /** Forgets the collected bytes, ready for the next string. */
    public void clear() {
        length = 0;
    }

    /**
     * Takes bytes from {@code in} up to and including the {@code \0}.
     *
     * @return true once the {@code \0} has been consumed; false if {@code in} ran out first
     * @throws StringTooLongException if 255 bytes arrived without a {@code \0}
     */
    public boolean fill(ByteBuffer in, String field) throws StringTooLongException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == 0) {
                return true;
            }
            if (length == bytes.length) {
                throw new StringTooLongException(field, WireString.MAX_BYTES);
            }
            bytes[length++] = b;
        }
        return false;
    }

    /** @return the number of bytes collected, not counting the {@code \0} */
    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** @return the collected bytes as strict UTF-8 */
    public String decode(String field) throws InvalidUtf8Exception {
        return WireString.decodeUtf8(bytes, 0, length, field);
    }

    /** @return the collected bytes, without the {@code \0} */
    public byte[] bytes() {
        return Arrays.copyOf(bytes, length);
    }
}
