package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** BLAKE2b against libsodium's crypto_generichash (unkeyed). */
class Blake2bCompatibilityTest {

    @Property(tries = 200)
    void oneShotEqualsGenericHash(@ForAll @Size(max = 1000) byte[] data,
            @ForAll @IntRange(min = 1, max = 64) int outputLength) {
        assertArrayEquals(Libsodium.genericHash(outputLength, data), Blake2b.hash(outputLength, data));
    }

    @Property(tries = 100)
    void hash512EqualsGenericHash(@ForAll @Size(max = 1000) byte[] data) {
        assertArrayEquals(Libsodium.genericHash(64, data), Blake2b.hash512(data));
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
}
