package org.cmtp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * Runs the secretbox long enough for the JIT's optimizing compiler to take over and
 * checks every result against BouncyCastle's reference engines. A first version of our
 * XSalsa20 gave wrong keystream intermittently once C2 had compiled it (JDK 17.0.15,
 * loop vectorizer); this keeps such regressions visible. About half a second.
 */
class HotPathConsistencyTest {

    private static final int[] SIZES = {0, 1, 31, 32, 33, 64, 100, 1024, 1500};
    private static final int ROUNDS = 4000;
    private static final int BLAKE2B_ROUNDS = 20_000;

    @Test
    void secretboxStaysEqualToReferenceWhenHot() {
        Random random = new Random(7);
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        random.nextBytes(key);
        random.nextBytes(nonce);
        byte[][] messages = new byte[SIZES.length][];
        byte[][] expected = new byte[SIZES.length][];
        for (int i = 0; i < SIZES.length; i++) {
            messages[i] = new byte[SIZES[i]];
            random.nextBytes(messages[i]);
            expected[i] = referenceSecretbox(key, nonce, messages[i]);
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < SIZES.length; i++) {
                byte[] box = new byte[messages[i].length + 16];
                XSalsa20Poly1305.seal(key, nonce, messages[i], 0, messages[i].length, box, 0);
                assertArrayEquals(expected[i], box, "seal, round " + round + ", size " + SIZES[i]);
                byte[] opened = new byte[messages[i].length];
                assertTrue(XSalsa20Poly1305.open(key, nonce, box, 0, opened.length, opened, 0),
                        "open, round " + round + ", size " + SIZES[i]);
                assertArrayEquals(messages[i], opened, "open, round " + round + ", size " + SIZES[i]);
            }
        }
    }

    /**
     * 20000 BLAKE2b hashes of random sizes and output lengths, half of them through a
     * {@link Blake2b#copy()}, each against BouncyCastle: long enough for C2 to compile
     * our compression function and the update path.
     */
    @Test
    void blake2bStaysEqualToReferenceWhenHot() {
        Random random = new Random(2);
        byte[] data = Blake2bCompatibilityTest.randomBytes(random, 3000);
        for (int round = 0; round < BLAKE2B_ROUNDS; round++) {
            int length = random.nextInt(data.length + 1);
            int outputLength = 1 + random.nextInt(64);
            byte[] message = Arrays.copyOf(data, length);
            Blake2b hash = Blake2b.withOutputLength(outputLength);
            if (round % 2 == 0) {
                hash.update(data, 0, length);
            } else {
                int split = random.nextInt(length + 1);
                hash = hash.update(data, 0, split).copy().update(data, split, length - split);
            }
            assertArrayEquals(Blake2bCompatibilityTest.bouncyCastle(outputLength, message), hash.finish(),
                    "round " + round + ", " + length + " bytes, output " + outputLength);
        }
    }

    /** crypto_secretbox_easy with BouncyCastle's engines: tag ‖ ciphertext. */
    private static byte[] referenceSecretbox(byte[] key, byte[] nonce, byte[] message) {
        XSalsa20Engine cipher = new XSalsa20Engine();
        cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] stream = new byte[32 + message.length];
        System.arraycopy(message, 0, stream, 32, message.length);
        cipher.processBytes(stream, 0, stream.length, stream, 0);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(stream, 0, 32));
        mac.update(stream, 32, message.length);
        byte[] box = new byte[16 + message.length];
        mac.doFinal(box, 0);
        System.arraycopy(stream, 32, box, 16, message.length);
        return box;
    }
}
