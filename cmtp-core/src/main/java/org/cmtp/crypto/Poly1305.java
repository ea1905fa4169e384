package org.cmtp.crypto;

import java.util.Arrays;

/**
 * The Poly1305 one-time authenticator (RFC 8439 §2.5), incremental, after
 * poly1305-donna-32: the accumulator in five 26-bit limbs, products in 64 bits.
 *
 * <p>Why not BouncyCastle's {@code Poly1305}: it copies every 16-byte block into a
 * buffer before processing it, and ran at under half this speed in the 1 MiB sealed
 * box profile. Whole blocks are read here straight from the caller's array. Checked
 * against BouncyCastle's implementation (including accumulators at and above p) and
 * against libsodium by the tests. Caller arrays are read as words only in the block
 * loop; a split block is collected in an {@code int[]} (see {@link Salsa20} on why).
 */
final class Poly1305 {

    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;
    private static final int BLOCK_BYTES = 16;
    private static final int MASK26 = 0x3ffffff;

    private final int r0, r1, r2, r3, r4;
    private final int pad0, pad1, pad2, pad3;
    private int h0, h1, h2, h3, h4;
    /** Bytes of a not yet complete block, as little-endian words (kept out of byte[] on purpose, see {@link Salsa20}). */
    private final int[] partial = new int[4];
    private int partialLength;

    /** Keys the authenticator with r (clamped) ‖ s, the 32 bytes at {@code offset}. */
    Poly1305(byte[] key, int offset) {
        int t0 = Salsa20.decodeInt(key, offset);
        int t1 = Salsa20.decodeInt(key, offset + 4);
        int t2 = Salsa20.decodeInt(key, offset + 8);
        int t3 = Salsa20.decodeInt(key, offset + 12);
        r0 = t0 & 0x3ffffff;
        r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
        r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
        r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
        r4 = (t3 >>> 8) & 0x00fffff;
        pad0 = Salsa20.decodeInt(key, offset + 16);
        pad1 = Salsa20.decodeInt(key, offset + 20);
        pad2 = Salsa20.decodeInt(key, offset + 24);
        pad3 = Salsa20.decodeInt(key, offset + 28);
    }

    /** Adds {@code length} bytes of {@code data} from {@code offset}. */
    void update(byte[] data, int offset, int length) {
        int end = offset + length;
        while (partialLength > 0 && offset < end) {
            addToPartial(data[offset++]);
        }
        int whole = (end - offset) & ~(BLOCK_BYTES - 1);
        blocks(data, null, offset, whole, 1 << 24);
        for (offset += whole; offset < end; offset++) {
            addToPartial(data[offset]);
        }
    }

    private void addToPartial(byte b) {
        partial[partialLength >>> 2] |= (b & 0xff) << ((partialLength & 3) << 3);
        if (++partialLength == BLOCK_BYTES) {
            blocks(null, partial, 0, BLOCK_BYTES, 1 << 24);
            Arrays.fill(partial, 0);
            partialLength = 0;
        }
    }

    /** Writes the 16-byte tag to {@code out} at {@code offset}; the instance is spent. */
    void finish(byte[] out, int offset) {
        if (partialLength > 0) {
            // Last, short block: append 1, pad with zeros, and no 2^128 bit.
            partial[partialLength >>> 2] |= 1 << ((partialLength & 3) << 3);
            blocks(null, partial, 0, BLOCK_BYTES, 0);
            Arrays.fill(partial, 0);
        }
        carryFully();
        reduceBelowP();
        addPadModulo2To128(out, offset);
    }

    /**
     * h = (h + block + hibit·2^128) · r mod 2^130−5, for each whole block of
     * {@code m}, or for the one block in {@code words} when {@code m} is null.
     */
    private void blocks(byte[] m, int[] words, int offset, int length, int hibit) {
        final int s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
        int a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
        for (int end = offset + length; offset < end; offset += BLOCK_BYTES) {
            int t0 = m != null ? Salsa20.wordAt(m, offset) : words[0];
            int t1 = m != null ? Salsa20.wordAt(m, offset + 4) : words[1];
            int t2 = m != null ? Salsa20.wordAt(m, offset + 8) : words[2];
            int t3 = m != null ? Salsa20.wordAt(m, offset + 12) : words[3];
            a0 += t0 & MASK26;
            a1 += ((t0 >>> 26) | (t1 << 6)) & MASK26;
            a2 += ((t1 >>> 20) | (t2 << 12)) & MASK26;
            a3 += ((t2 >>> 14) | (t3 << 18)) & MASK26;
            a4 += (t3 >>> 8) | hibit;

            long d0 = (long) a0 * r0 + (long) a1 * s4 + (long) a2 * s3 + (long) a3 * s2 + (long) a4 * s1;
            long d1 = (long) a0 * r1 + (long) a1 * r0 + (long) a2 * s4 + (long) a3 * s3 + (long) a4 * s2;
            long d2 = (long) a0 * r2 + (long) a1 * r1 + (long) a2 * r0 + (long) a3 * s4 + (long) a4 * s3;
            long d3 = (long) a0 * r3 + (long) a1 * r2 + (long) a2 * r1 + (long) a3 * r0 + (long) a4 * s4;
            long d4 = (long) a0 * r4 + (long) a1 * r3 + (long) a2 * r2 + (long) a3 * r1 + (long) a4 * r0;

            d1 += d0 >>> 26;
            a0 = (int) d0 & MASK26;
            d2 += d1 >>> 26;
            a1 = (int) d1 & MASK26;
            d3 += d2 >>> 26;
            a2 = (int) d2 & MASK26;
            d4 += d3 >>> 26;
            a3 = (int) d3 & MASK26;
            a4 = (int) d4 & MASK26;
            long c = (d4 >>> 26) * 5 + a0; // in 64 bits: (d4 >>> 26) * 5 can pass 2^31
            a0 = (int) c & MASK26;
            a1 += (int) (c >>> 26);
        }
        h0 = a0;
        h1 = a1;
        h2 = a2;
        h3 = a3;
        h4 = a4;
    }

    private void carryFully() {
        h2 += h1 >>> 26;
        h1 &= MASK26;
        h3 += h2 >>> 26;
        h2 &= MASK26;
        h4 += h3 >>> 26;
        h3 &= MASK26;
        h0 += (h4 >>> 26) * 5;
        h4 &= MASK26;
        h1 += h0 >>> 26;
        h0 &= MASK26;
    }

    /** h = h − p if h ≥ p, in constant time. */
    private void reduceBelowP() {
        int g0 = h0 + 5;
        int g1 = h1 + (g0 >>> 26);
        g0 &= MASK26;
        int g2 = h2 + (g1 >>> 26);
        g1 &= MASK26;
        int g3 = h3 + (g2 >>> 26);
        g2 &= MASK26;
        int g4 = h4 + (g3 >>> 26) - (1 << 26);
        g3 &= MASK26;
        int useG = (g4 >>> 31) - 1; // all ones when h + 5 reached 2^130, i.e. h ≥ p
        int useH = ~useG;
        h0 = (h0 & useH) | (g0 & useG);
        h1 = (h1 & useH) | (g1 & useG);
        h2 = (h2 & useH) | (g2 & useG);
        h3 = (h3 & useH) | (g3 & useG);
        h4 = (h4 & useH) | (g4 & useG);
    }

    /** tag = (h + s) mod 2^128, little-endian. */
    private void addPadModulo2To128(byte[] out, int offset) {
        long w0 = Integer.toUnsignedLong(h0 | (h1 << 26));
        long w1 = Integer.toUnsignedLong((h1 >>> 6) | (h2 << 20));
        long w2 = Integer.toUnsignedLong((h2 >>> 12) | (h3 << 14));
        long w3 = Integer.toUnsignedLong((h3 >>> 18) | (h4 << 8));
        long f = w0 + Integer.toUnsignedLong(pad0);
        Salsa20.encodeInt((int) f, out, offset);
        f = w1 + Integer.toUnsignedLong(pad1) + (f >>> 32);
        Salsa20.encodeInt((int) f, out, offset + 4);
        f = w2 + Integer.toUnsignedLong(pad2) + (f >>> 32);
        Salsa20.encodeInt((int) f, out, offset + 8);
        f = w3 + Integer.toUnsignedLong(pad3) + (f >>> 32);
        Salsa20.encodeInt((int) f, out, offset + 12);
    }
}
