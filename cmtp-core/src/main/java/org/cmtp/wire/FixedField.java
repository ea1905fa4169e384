package org.cmtp.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects a field of known size (a header, a length, a key, a signature) whose bytes may
 * arrive across any number of reads, and reads big-endian integers out of it.
 */
public final class FixedField {

    private final byte[] bytes;
    private int filled;

    public FixedField(int size) {
        bytes = new byte[size];
    }

    /** Forgets the collected bytes, ready for the next field of the same size. */
    public void clear() {
        filled = 0;
    }

    /**
     * Takes as many bytes from {@code in} as the field still lacks.
     *
     * @return true once the field is complete
     */
    public boolean fill(ByteBuffer in) {
        int n = Math.min(in.remaining(), bytes.length - filled);
        in.get(bytes, filled, n);
        filled += n;
        return filled == bytes.length;
    }

    /** @return true if no byte has been collected since the last {@link #clear()} */
    public boolean isEmpty() {
        return filled == 0;
    }

    public int size() {
        return bytes.length;
    }

    /** @return the byte at {@code offset} */
    public byte byteAt(int offset) {
        return bytes[offset];
    }

    /** @return the unsigned big-endian u32 at {@code offset} */
    public long u32(int offset) {
        return ByteBuffer.wrap(bytes, offset, 4).getInt() & 0xFFFF_FFFFL;
    }

    /**
     * @return the big-endian u64 at {@code offset}, as raw bits: values of 2^63 and more
     *         come out negative, so compare them with {@link Long#compareUnsigned}
     */
    public long u64(int offset) {
        return ByteBuffer.wrap(bytes, offset, 8).getLong();
    }

    /** @return a copy of bytes {@code from} (inclusive) to {@code to} (exclusive) */
    public byte[] copy(int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    /** @return a copy of the whole field */
    public byte[] copy() {
        return bytes.clone();
    }

    /** Copies the whole field into {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }
}
