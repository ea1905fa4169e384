package org.cmtp.crypto;

import java.util.Arrays;

/**
 * HSalsa20 (Bernstein, "Extending the Salsa20 nonce"): the Salsa20 core without its
 * final addition, keeping words 0, 5, 10, 15, 6, 7, 8, 9.
 *
 * <p>Two uses, both libsodium's: {@code crypto_box_beforenm} turns the raw X25519
 * shared point into a box key with HSalsa20 and a zero input, and XSalsa20 derives its
 * per-nonce Salsa20 key from the first 16 nonce bytes. BouncyCastle has no public
 * HSalsa20, so it is built here on our {@link Salsa20} core.
 */
final class HSalsa20 {

    private static final int[] OUTPUT_WORDS = {0, 5, 10, 15, 6, 7, 8, 9};

    private HSalsa20() {
    }

    /** HSalsa20 of a 32-byte key and the 16 input bytes at {@code inputOffset}; 32 bytes out. */
    static byte[] derive(byte[] key, byte[] input, int inputOffset) {
        int[] state = Salsa20.state(key, 0, input, inputOffset);
        state[8] = Salsa20.decodeInt(input, inputOffset + 8);
        state[9] = Salsa20.decodeInt(input, inputOffset + 12);
        int[] mixed = new int[16];
        Salsa20.core(state, false, mixed);
        byte[] out = new byte[32];
        for (int i = 0; i < OUTPUT_WORDS.length; i++) {
            Salsa20.encodeInt(mixed[OUTPUT_WORDS[i]], out, 4 * i);
        }
        Arrays.fill(state, 0);
        Arrays.fill(mixed, 0);
        return out;
    }
}
