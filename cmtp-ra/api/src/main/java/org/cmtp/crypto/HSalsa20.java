package org.cmtp.crypto;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.util.Pack;

/**
 * HSalsa20 (Bernstein, "Extending the Salsa20 nonce"): the Salsa20 core without its
 * final addition, keeping words 0, 5, 10, 15, 6, 7, 8, 9.
 *
 * <p>libsodium's {@code crypto_box_beforenm} turns the raw X25519 shared point into a
 * box key with HSalsa20 and a zero nonce; BouncyCastle has no public HSalsa20 (it is
 * buried in {@code XSalsa20Engine}), so it is built here on the public Salsa20 core.
 */
final class HSalsa20 {

    /** "expand 32-byte k", little-endian words. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    private static final int[] OUTPUT_WORDS = {0, 5, 10, 15, 6, 7, 8, 9};

    private HSalsa20() {
    }

    /** HSalsa20 of a 32-byte key and a 16-byte input, 32 bytes out. */
    static byte[] derive(byte[] key, byte[] input16) {
        int[] state = new int[16];
        state[0] = SIGMA[0];
        state[5] = SIGMA[1];
        state[10] = SIGMA[2];
        state[15] = SIGMA[3];
        Pack.littleEndianToInt(key, 0, state, 1, 4);
        Pack.littleEndianToInt(key, 16, state, 11, 4);
        Pack.littleEndianToInt(input16, 0, state, 6, 4);
        int[] mixed = new int[16];
        Salsa20Engine.salsaCore(20, state, mixed);
        byte[] out = new byte[32];
        for (int i = 0; i < OUTPUT_WORDS.length; i++) {
            int word = OUTPUT_WORDS[i];
            // salsaCore adds the input back in; HSalsa20 does not.
            Pack.intToLittleEndian(mixed[word] - state[word], out, 4 * i);
        }
        java.util.Arrays.fill(state, 0);
        java.util.Arrays.fill(mixed, 0);
        return out;
    }
}
