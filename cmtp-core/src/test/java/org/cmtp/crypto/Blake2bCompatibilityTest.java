package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

/**
 * BLAKE2b against libsodium's crypto_generichash (unkeyed) and BouncyCastle's
 * Blake2bDigest, the engine ours replaced.
 */
class Blake2bCompatibilityTest {

    /** Around the 128-byte block, where the last-block rule of BLAKE2b bites, and 1 MiB. */
    private static final int[] BOUNDARY_LENGTHS = {0, 1, 127, 128, 129, 255, 256, 257, 1 << 20};

    @Property(tries = 200)
    void oneShotEqualsGenericHash(@ForAll @Size(max = 1000) byte[] data,
            @ForAll @IntRange(min = 1, max = 64) int outputLength) {
        assertArrayEquals(Libsodium.genericHash(outputLength, data), Blake2b.hash(outputLength, data));
    }

    @Property(tries = 100)
    void hash512EqualsGenericHash(@ForAll @Size(max = 1000) byte[] data) {
        assertArrayEquals(Libsodium.genericHash(64, data), Blake2b.hash512(data));
    }

    @Property(tries = 300)
    void randomLengthsEqualBothReferences(@ForAll @IntRange(min = 0, max = 2000) int length,
            @ForAll @IntRange(min = 1, max = 64) int outputLength, @ForAll long seed) {
        byte[] data = randomBytes(new Random(seed), length);
        byte[] ours = Blake2b.hash(outputLength, data);
        assertArrayEquals(bouncyCastle(outputLength, data), ours);
        assertArrayEquals(Libsodium.genericHash(outputLength, data), ours);
    }

    @Test
    void blockBoundariesEqualBothReferencesForEveryOutputLength() {
        Random random = new Random(128);
        for (int length : BOUNDARY_LENGTHS) {
            byte[] data = randomBytes(random, length);
            for (int outputLength = 1; outputLength <= 64; outputLength++) {
                byte[] ours = Blake2b.hash(outputLength, data);
                String what = length + " bytes, output " + outputLength;
                assertEquals(outputLength, ours.length, what);
                assertArrayEquals(bouncyCastle(outputLength, data), ours, what);
                assertArrayEquals(Libsodium.genericHash(outputLength, data), ours, what);
            }
        }
    }

    /** A mail arrives in chunks: any split must give the hash of the whole. */
    @Property(tries = 200)
    void chunkedEqualsWhole(@ForAll @Size(max = 2000) byte[] data,
            @ForAll @IntRange(min = 1, max = 300) int chunk, @ForAll boolean viaBuffers) {
        Blake2b hash = Blake2b.hash512();
        for (int offset = 0; offset < data.length; offset += chunk) {
            int length = Math.min(chunk, data.length - offset);
            if (viaBuffers) {
                ByteBuffer direct = ByteBuffer.allocateDirect(length).put(data, offset, length).flip();
                hash.update(direct);
            } else {
                hash.update(data, offset, length);
            }
        }
        assertArrayEquals(Libsodium.genericHash(64, data), hash.finish());
    }

    /**
     * Random split points, empty pieces included, each fed as an array slice, a heap
     * buffer with an array offset or a direct buffer.
     */
    @Property(tries = 300)
    void randomSplitsEqualWhole(@ForAll @IntRange(min = 0, max = 2000) int length,
            @ForAll @IntRange(min = 1, max = 64) int outputLength, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] data = randomBytes(random, length);
        Blake2b hash = Blake2b.withOutputLength(outputLength);
        int offset = 0;
        while (offset < length || random.nextInt(4) == 0) {
            int piece = random.nextInt(4) == 0 ? 0 : random.nextInt(length - offset + 1);
            feed(hash, data, offset, piece, random.nextInt(3));
            offset += piece;
        }
        assertArrayEquals(bouncyCastle(outputLength, data), hash.finish());
    }

    @Test
    void megabyteInOddPiecesEqualsGenericHash() {
        Random random = new Random(20);
        byte[] data = randomBytes(random, 1 << 20);
        Blake2b hash = Blake2b.hash512();
        for (int offset = 0, way = 0; offset < data.length; way = (way + 1) % 3) {
            int piece = Math.min(data.length - offset, random.nextInt(70_000));
            feed(hash, data, offset, piece, way);
            offset += piece;
        }
        assertArrayEquals(Libsodium.genericHash(64, data), hash.finish());
    }

    @Property(tries = 200)
    void copyContinuesIndependently(@ForAll @IntRange(min = 0, max = 600) int prefixLength,
            @ForAll @IntRange(min = 0, max = 600) int suffixLength,
            @ForAll @IntRange(min = 1, max = 64) int outputLength, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] prefix = randomBytes(random, prefixLength);
        byte[] suffixA = randomBytes(random, suffixLength);
        byte[] suffixB = randomBytes(random, random.nextInt(300));
        Blake2b original = Blake2b.withOutputLength(outputLength).update(prefix);
        Blake2b copy = original.copy();
        assertEquals(outputLength, copy.outputLength());
        byte[] fromCopy = copy.update(suffixB).finish();
        byte[] fromOriginal = original.update(suffixA).finish();
        assertArrayEquals(bouncyCastle(outputLength, concat(prefix, suffixA)), fromOriginal);
        assertArrayEquals(bouncyCastle(outputLength, concat(prefix, suffixB)), fromCopy);
    }

    private static void feed(Blake2b hash, byte[] data, int offset, int length, int way) {
        switch (way) {
            case 0 -> hash.update(data, offset, length);
            case 1 -> {
                // A slice of a larger heap buffer, so that its array offset is not zero.
                ByteBuffer heap = ByteBuffer.wrap(data, 0, offset + length).position(offset).slice();
                hash.update(heap);
                assertEquals(0, heap.remaining(), "the buffer is consumed");
            }
            default -> {
                ByteBuffer direct = ByteBuffer.allocateDirect(length).put(data, offset, length).flip();
                hash.update(direct);
                assertEquals(0, direct.remaining(), "the buffer is consumed");
            }
        }
    }

    static byte[] bouncyCastle(int outputLength, byte[] data) {
        Blake2bDigest digest = new Blake2bDigest(null, outputLength, null, null);
        digest.update(data, 0, data.length);
        byte[] out = new byte[outputLength];
        digest.doFinal(out, 0);
        return out;
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
