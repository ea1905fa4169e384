package org.cmtp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Unkeyed BLAKE2b (RFC 7693), equal to libsodium's {@code crypto_generichash} for the
 * same output length.
 *
 * <p>CMTP uses the 64-byte form to name a mail (the context of a signed receipt, the
 * proof-of-work hash) and the 24-byte form for sealed-box nonces. A mail can be many
 * megabytes and arrives in pieces, so the hash is incremental: feed the chunks with
 * {@link #update} as they are read, then {@link #finish()}. An instance is not
 * thread-safe and is used once; {@link #copy()} forks an unfinished one.
 *
 * <p>Our own engine rather than BouncyCastle's {@code Blake2bDigest} because that one ran
 * at about 200 MB/s and was the largest CPU cost of a large MAIL on both ends. The speed
 * comes from rounds written out on local variables that the JIT can keep in registers,
 * message words read eight bytes at a time through a {@link VarHandle}, and full blocks
 * compressed straight from the caller's array.
 */
public final class Blake2b {

    public static final int MIN_OUTPUT_BYTES = 1;
    public static final int MAX_OUTPUT_BYTES = 64;

    private static final int BLOCK_BYTES = 128;
    private static final int DIRECT_CHUNK_BYTES = 8192;

    private static final VarHandle LE_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long IV0 = 0x6a09e667f3bcc908L;
    private static final long IV1 = 0xbb67ae8584caa73bL;
    private static final long IV2 = 0x3c6ef372fe94f82bL;
    private static final long IV3 = 0xa54ff53a5f1d36f1L;
    private static final long IV4 = 0x510e527fade682d1L;
    private static final long IV5 = 0x9b05688c2b3e6c1fL;
    private static final long IV6 = 0x1f83d9abfb41bd6bL;
    private static final long IV7 = 0x5be0cd19137e2179L;

    private final int outputBytes;
    private long h0, h1, h2, h3, h4, h5, h6, h7;
    /** Bytes compressed so far, a 128-bit counter as RFC 7693 defines it. */
    private long t0, t1;
    /**
     * The bytes not compressed yet: BLAKE2b marks the final block, so the last block
     * stays here (even when full) until {@link #finish()} knows that nothing follows.
     */
    private final byte[] buffer = new byte[BLOCK_BYTES];
    private int buffered;
    /** The working vector v of the compression function, handed from one half of the rounds to the other. */
    private final long[] work = new long[16];
    private boolean finished;

    private Blake2b(int outputBytes) {
        if (outputBytes < MIN_OUTPUT_BYTES || outputBytes > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("BLAKE2b output length must be "
                    + MIN_OUTPUT_BYTES + ".." + MAX_OUTPUT_BYTES + " bytes, got " + outputBytes);
        }
        this.outputBytes = outputBytes;
        // Parameter block of an unkeyed hash: digest length, key length 0, fanout 1, depth 1.
        h0 = IV0 ^ 0x01010000L ^ outputBytes;
        h1 = IV1;
        h2 = IV2;
        h3 = IV3;
        h4 = IV4;
        h5 = IV5;
        h6 = IV6;
        h7 = IV7;
    }

    private Blake2b(Blake2b original) {
        outputBytes = original.outputBytes;
        h0 = original.h0;
        h1 = original.h1;
        h2 = original.h2;
        h3 = original.h3;
        h4 = original.h4;
        h5 = original.h5;
        h6 = original.h6;
        h7 = original.h7;
        t0 = original.t0;
        t1 = original.t1;
        System.arraycopy(original.buffer, 0, buffer, 0, original.buffered);
        buffered = original.buffered;
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

    /**
     * An independent hash in the same state as this unfinished one: what is added to
     * either afterwards does not affect the other. The proof of work hashes a message
     * once and then forks it for every candidate suffix.
     */
    public Blake2b copy() {
        requireOpen();
        return new Blake2b(this);
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
        absorb(data, offset, length);
        return this;
    }

    /** Adds the remaining bytes of {@code data}, consuming them. */
    public Blake2b update(ByteBuffer data) {
        requireOpen();
        if (data.hasArray()) {
            int length = data.remaining();
            absorb(data.array(), data.arrayOffset() + data.position(), length);
            data.position(data.position() + length);
        } else {
            byte[] chunk = new byte[Math.min(data.remaining(), DIRECT_CHUNK_BYTES)];
            while (data.hasRemaining()) {
                int length = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, length);
                absorb(chunk, 0, length);
            }
        }
        return this;
    }

    /** The number of bytes {@link #finish()} returns. */
    public int outputLength() {
        return outputBytes;
    }

    /** Ends the hash and returns it; the instance cannot be used afterwards. */
    public byte[] finish() {
        requireOpen();
        finished = true;
        Arrays.fill(buffer, buffered, BLOCK_BYTES, (byte) 0);
        count(buffered);
        compress(buffer, 0, -1L);
        byte[] state = new byte[MAX_OUTPUT_BYTES];
        long[] words = {h0, h1, h2, h3, h4, h5, h6, h7};
        for (int i = 0; i < words.length; i++) {
            LE_LONGS.set(state, 8 * i, words[i]);
        }
        return Arrays.copyOf(state, outputBytes);
    }

    /**
     * Compresses every block of {@code data} that is surely not the last one straight
     * from the caller's array, and keeps the rest (1..128 bytes) in {@link #buffer}.
     */
    private void absorb(byte[] data, int offset, int length) {
        if (length <= BLOCK_BYTES - buffered) {
            System.arraycopy(data, offset, buffer, buffered, length);
            buffered += length;
            return;
        }
        if (buffered > 0) {
            int fill = BLOCK_BYTES - buffered;
            System.arraycopy(data, offset, buffer, buffered, fill);
            count(BLOCK_BYTES);
            compress(buffer, 0, 0L);
            offset += fill;
            length -= fill;
            buffered = 0;
        }
        while (length > BLOCK_BYTES) {
            count(BLOCK_BYTES);
            compress(data, offset, 0L);
            offset += BLOCK_BYTES;
            length -= BLOCK_BYTES;
        }
        System.arraycopy(data, offset, buffer, 0, length);
        buffered = length;
    }

    private void count(int bytes) {
        t0 += bytes;
        if (Long.compareUnsigned(t0, bytes) < 0) {
            t1++;
        }
    }

    /**
     * The compression function F of RFC 7693 on the block at {@code offset}, with the
     * counter already advanced; {@code f0} is all ones for the final block.
     */
    private void compress(byte[] block, int offset, long f0) {
        long[] v = work;
        v[0] = h0;
        v[1] = h1;
        v[2] = h2;
        v[3] = h3;
        v[4] = h4;
        v[5] = h5;
        v[6] = h6;
        v[7] = h7;
        v[8] = IV0;
        v[9] = IV1;
        v[10] = IV2;
        v[11] = IV3;
        v[12] = IV4 ^ t0;
        v[13] = IV5 ^ t1;
        v[14] = IV6 ^ f0;
        v[15] = IV7;
        firstRounds(block, offset);
        lastRounds(block, offset);
        h0 ^= v[0] ^ v[8];
        h1 ^= v[1] ^ v[9];
        h2 ^= v[2] ^ v[10];
        h3 ^= v[3] ^ v[11];
        h4 ^= v[4] ^ v[12];
        h5 ^= v[5] ^ v[13];
        h6 ^= v[6] ^ v[14];
        h7 ^= v[7] ^ v[15];
    }

    /**
     * Rounds 0..5 on {@link #work}, written out with the message words in each round's
     * SIGMA order. All twelve rounds in one method would be about 8300 bytes of bytecode,
     * over HotSpot's 8000-byte limit above which C2 does not compile a method at all; two
     * halves of about 4300 measured faster than a loop over the rounds that reads the
     * words through the SIGMA table (690 against 500 hashes of 1 MiB per second).
     */
    private void firstRounds(byte[] block, int offset) {
        long[] v = work;
        long m0 = (long) LE_LONGS.get(block, offset);
        long m1 = (long) LE_LONGS.get(block, offset + 8);
        long m2 = (long) LE_LONGS.get(block, offset + 16);
        long m3 = (long) LE_LONGS.get(block, offset + 24);
        long m4 = (long) LE_LONGS.get(block, offset + 32);
        long m5 = (long) LE_LONGS.get(block, offset + 40);
        long m6 = (long) LE_LONGS.get(block, offset + 48);
        long m7 = (long) LE_LONGS.get(block, offset + 56);
        long m8 = (long) LE_LONGS.get(block, offset + 64);
        long m9 = (long) LE_LONGS.get(block, offset + 72);
        long m10 = (long) LE_LONGS.get(block, offset + 80);
        long m11 = (long) LE_LONGS.get(block, offset + 88);
        long m12 = (long) LE_LONGS.get(block, offset + 96);
        long m13 = (long) LE_LONGS.get(block, offset + 104);
        long m14 = (long) LE_LONGS.get(block, offset + 112);
        long m15 = (long) LE_LONGS.get(block, offset + 120);
        long v0 = v[0];
        long v1 = v[1];
        long v2 = v[2];
        long v3 = v[3];
        long v4 = v[4];
        long v5 = v[5];
        long v6 = v[6];
        long v7 = v[7];
        long v8 = v[8];
        long v9 = v[9];
        long v10 = v[10];
        long v11 = v[11];
        long v12 = v[12];
        long v13 = v[13];
        long v14 = v[14];
        long v15 = v[15];
        // round 0
        v0 += v4 + m0;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m1;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m2;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m3;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m4;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m5;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m6;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m7;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m8;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m9;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m10;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m11;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m12;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m13;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m14;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m15;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 1
        v0 += v4 + m14;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m10;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m4;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m8;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m9;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m15;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m13;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m6;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m1;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m12;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m0;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m2;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m11;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m7;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m5;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m3;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 2
        v0 += v4 + m11;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m8;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m12;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m0;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m5;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m2;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m15;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m13;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m10;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m14;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m3;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m6;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m7;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m1;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m9;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m4;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 3
        v0 += v4 + m7;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m9;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m3;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m1;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m13;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m12;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m11;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m14;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m2;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m6;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m5;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m10;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m4;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m0;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m15;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m8;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 4
        v0 += v4 + m9;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m0;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m5;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m7;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m2;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m4;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m10;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m15;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m14;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m1;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m11;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m12;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m6;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m8;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m3;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m13;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 5
        v0 += v4 + m2;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m12;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m6;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m10;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m0;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m11;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m8;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m3;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m4;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m13;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m7;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m5;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m15;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m14;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m1;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m9;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        v[0] = v0;
        v[1] = v1;
        v[2] = v2;
        v[3] = v3;
        v[4] = v4;
        v[5] = v5;
        v[6] = v6;
        v[7] = v7;
        v[8] = v8;
        v[9] = v9;
        v[10] = v10;
        v[11] = v11;
        v[12] = v12;
        v[13] = v13;
        v[14] = v14;
        v[15] = v15;
    }

    /**
     * Rounds 6..11 on {@link #work}, like {@link #firstRounds}. Rounds 10 and 11 use the
     * words in the order of 0 and 1, so their code repeats; calling a method for those two
     * rounds twice instead measured a third slower (380 against 550 hashes of 1 MiB per second).
     */
    private void lastRounds(byte[] block, int offset) {
        long[] v = work;
        long m0 = (long) LE_LONGS.get(block, offset);
        long m1 = (long) LE_LONGS.get(block, offset + 8);
        long m2 = (long) LE_LONGS.get(block, offset + 16);
        long m3 = (long) LE_LONGS.get(block, offset + 24);
        long m4 = (long) LE_LONGS.get(block, offset + 32);
        long m5 = (long) LE_LONGS.get(block, offset + 40);
        long m6 = (long) LE_LONGS.get(block, offset + 48);
        long m7 = (long) LE_LONGS.get(block, offset + 56);
        long m8 = (long) LE_LONGS.get(block, offset + 64);
        long m9 = (long) LE_LONGS.get(block, offset + 72);
        long m10 = (long) LE_LONGS.get(block, offset + 80);
        long m11 = (long) LE_LONGS.get(block, offset + 88);
        long m12 = (long) LE_LONGS.get(block, offset + 96);
        long m13 = (long) LE_LONGS.get(block, offset + 104);
        long m14 = (long) LE_LONGS.get(block, offset + 112);
        long m15 = (long) LE_LONGS.get(block, offset + 120);
        long v0 = v[0];
        long v1 = v[1];
        long v2 = v[2];
        long v3 = v[3];
        long v4 = v[4];
        long v5 = v[5];
        long v6 = v[6];
        long v7 = v[7];
        long v8 = v[8];
        long v9 = v[9];
        long v10 = v[10];
        long v11 = v[11];
        long v12 = v[12];
        long v13 = v[13];
        long v14 = v[14];
        long v15 = v[15];
        // round 6
        v0 += v4 + m12;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m5;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m1;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m15;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m14;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m13;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m4;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m10;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m0;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m7;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m6;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m3;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m9;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m2;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m8;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m11;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 7
        v0 += v4 + m13;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m11;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m7;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m14;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m12;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m1;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m3;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m9;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m5;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m0;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m15;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m4;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m8;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m6;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m2;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m10;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 8
        v0 += v4 + m6;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m15;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m14;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m9;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m11;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m3;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m0;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m8;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m12;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m2;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m13;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m7;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m1;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m4;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m10;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m5;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 9
        v0 += v4 + m10;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m2;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m8;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m4;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m7;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m6;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m1;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m5;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m15;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m11;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m9;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m14;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m3;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m12;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m13;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m0;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 10
        v0 += v4 + m0;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m1;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m2;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m3;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m4;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m5;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m6;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m7;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m8;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m9;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m10;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m11;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m12;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m13;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m14;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m15;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        // round 11
        v0 += v4 + m14;
        v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + m10;
        v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12;
        v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + m4;
        v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + m8;
        v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13;
        v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + m9;
        v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + m15;
        v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14;
        v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + m13;
        v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + m6;
        v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15;
        v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + m1;
        v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + m12;
        v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15;
        v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + m0;
        v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + m2;
        v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12;
        v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + m11;
        v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + m7;
        v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13;
        v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + m5;
        v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + m3;
        v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14;
        v4 = Long.rotateRight(v4 ^ v9, 63);
        v[0] = v0;
        v[1] = v1;
        v[2] = v2;
        v[3] = v3;
        v[4] = v4;
        v[5] = v5;
        v[6] = v6;
        v[7] = v7;
        v[8] = v8;
        v[9] = v9;
        v[10] = v10;
        v[11] = v11;
        v[12] = v12;
        v[13] = v13;
        v[14] = v14;
        v[15] = v15;
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("BLAKE2b hash already finished");
        }
    }
}

