package org.cmtp.crypto;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Unkeyed BLAKE2b, equal to libsodium's {@code crypto_generichash} for the same output
 * length.
 *
 * <p>CMTP uses the 64-byte form to name a mail (the context of a signed receipt, the
 * proof-of-work hash) and the 24-byte form for sealed-box nonces. A mail can be many
 * megabytes and arrives in pieces, so the hash is incremental: feed the chunks with
 * {@link #update} as they are read, then {@link #finish()}. An instance is not
 * thread-safe and is used once.
 */
public final class Blake2b {

    public static final int MIN_OUTPUT_BYTES = 1;
    public static final int MAX_OUTPUT_BYTES = 64;

    private final Blake2bDigest digest;
    private boolean finished;

    private Blake2b(int outputBytes) {
        if (outputBytes < MIN_OUTPUT_BYTES || outputBytes > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("BLAKE2b output length must be "
                    + MIN_OUTPUT_BYTES + ".." + MAX_OUTPUT_BYTES + " bytes, got " + outputBytes);
        }
        // The (key, length, salt, personal) constructor takes any length in bytes; the
        // int-only one would insist on a multiple of 8 bits, which is the same thing.
        this.digest = new Blake2bDigest(null, outputBytes, null, null);
    }

    /** A hash with {@code outputBytes} (1..64) of output. */
    public static Blake2b withOutputLength(int outputBytes) {
        return new Blake2b(outputBytes);
    }

    /** A BLAKE2b-512 hash (64 bytes of output). */
    public static Blake2b hash512() {
        return new Blake2b(MAX_OUTPUT_BYTES);
    }

    /** BLAKE2b-512 of {@code data} in one call. */
    public static byte[] hash512(byte[] data) {
        return hash(MAX_OUTPUT_BYTES, data);
    }

    /** BLAKE2b of {@code data} with {@code outputBytes} of output, in one call. */
    public static byte[] hash(int outputBytes, byte[] data) {
        return new Blake2b(outputBytes).update(data).finish();
    }

    /** Adds all of {@code data}. */
    public Blake2b update(byte[] data) {
        Objects.requireNonNull(data, "data");
        return update(data, 0, data.length);
    }

    /** Adds {@code length} bytes of {@code data} from {@code offset}. */
    public Blake2b update(byte[] data, int offset, int length) {
        requireOpen();
        Lengths.requireRange(data, offset, length, "data");
        digest.update(data, offset, length);
        return this;
    }

    /** Adds the remaining bytes of {@code data}, consuming them. */
    public Blake2b update(ByteBuffer data) {
        requireOpen();
        if (data.hasArray()) {
            int length = data.remaining();
            digest.update(data.array(), data.arrayOffset() + data.position(), length);
            data.position(data.position() + length);
        } else {
            byte[] chunk = new byte[Math.min(data.remaining(), 8192)];
            while (data.hasRemaining()) {
                int length = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, length);
                digest.update(chunk, 0, length);
            }
        }
        return this;
    }

    /** The number of bytes {@link #finish()} returns. */
    public int outputLength() {
        return digest.getDigestSize();
    }

    /** Ends the hash and returns it; the instance cannot be used afterwards. */
    public byte[] finish() {
        requireOpen();
        finished = true;
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("BLAKE2b hash already finished");
        }
    }
}
