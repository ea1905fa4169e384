package org.cmtp.crypto;

/**
 * The Edwards25519 encodings of points of small order (1, 2, 4, 8) that libsodium's
 * {@code ge25519_has_small_order} rejects, with the sign bit ignored as libsodium does.
 *
 * <p>Why: a signature whose R, or a public key, is of small order lets one signature
 * verify for many messages or keys, and converting such a key to X25519 gives a
 * shared secret an attacker knows. BouncyCastle's verify rejects small-order public
 * keys but not small-order R; checking the same list as libsodium makes us refuse
 * exactly what it refuses.
 */
final class SmallOrderPoints {

    private static final byte[][] ENCODINGS = {
        // 0 (order 4)
        hex("0000000000000000000000000000000000000000000000000000000000000000"),
        // 1 (order 1)
        hex("0100000000000000000000000000000000000000000000000000000000000000"),
        // 2707385501144840649318225287225658788936804267575313519463743609750303402022 (order 8)
        hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        // 55188659117513257062467267217118295137698188065244968500265048394206261417927 (order 8)
        hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        // p-1 (order 2)
        hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        // p (=0, order 4), non-canonical
        hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        // p+1 (=1, order 1), non-canonical
        hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    };

    private SmallOrderPoints() {
    }

    /** True when the 32 bytes at {@code offset} encode a point of small order. */
    static boolean contains(byte[] encoded, int offset) {
        boolean found = false;
        for (byte[] candidate : ENCODINGS) {
            found |= sameIgnoringSignBit(candidate, encoded, offset);
        }
        return found;
    }

    private static boolean sameIgnoringSignBit(byte[] candidate, byte[] encoded, int offset) {
        int diff = 0;
        for (int i = 0; i < 31; i++) {
            diff |= candidate[i] ^ encoded[offset + i];
        }
        diff |= candidate[31] ^ (encoded[offset + 31] & 0x7f);
        return diff == 0;
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
