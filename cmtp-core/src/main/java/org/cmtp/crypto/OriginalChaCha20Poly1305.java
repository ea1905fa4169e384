package org.cmtp.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Pack;

/**
 * The <em>original</em> ChaCha20-Poly1305 AEAD of libsodium's
 * {@code crypto_aead_chacha20poly1305_encrypt} (draft-agl-tls-chacha20poly1305), with
 * no associated data.
 *
 * <p>Why not the IETF variant (RFC 8439) that BouncyCastle ships as
 * {@code ChaCha20Poly1305}: the reference server stores xzibits made with the original
 * construction, and the two differ in every byte. The original uses an 8-byte nonce with
 * a 64-bit block counter (BouncyCastle's plain {@code ChaChaEngine}), and its tag is
 * Poly1305(ad ‖ u64le(|ad|) ‖ ciphertext ‖ u64le(|ciphertext|)) with no padding, the
 * Poly1305 key being the first 32 bytes of keystream block 0 and the message being
 * encrypted from block 1 on.
 */
final class OriginalChaCha20Poly1305 {

    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 8;
    static final int TAG_BYTES = Poly1305.TAG_BYTES;
    private static final int BLOCK_BYTES = 64;

    private OriginalChaCha20Poly1305() {
    }

    /** Ciphertext ‖ tag of {@code plaintext}. */
    static byte[] encrypt(byte[] key, byte[] nonce, byte[] plaintext) {
        ChaChaEngine cipher = keyedCipher(key, nonce);
        Poly1305 mac = macFromFirstBlock(cipher);
        byte[] out = new byte[plaintext.length + TAG_BYTES];
        cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
        authenticate(mac, out, plaintext.length, out, plaintext.length);
        return out;
    }

    /** The plaintext of ciphertext ‖ tag, or null if the tag is wrong (or it is too short). */
    static byte[] decrypt(byte[] key, byte[] nonce, byte[] ciphertextAndTag) {
        int length = ciphertextAndTag.length - TAG_BYTES;
        if (length < 0) {
            return null;
        }
        ChaChaEngine cipher = keyedCipher(key, nonce);
        Poly1305 mac = macFromFirstBlock(cipher);
        byte[] expectedTag = new byte[TAG_BYTES];
        authenticate(mac, ciphertextAndTag, length, expectedTag, 0);
        if (!MessageDigest.isEqual(expectedTag,
                Arrays.copyOfRange(ciphertextAndTag, length, length + TAG_BYTES))) {
            return null;
        }
        byte[] plaintext = new byte[length];
        cipher.processBytes(ciphertextAndTag, 0, length, plaintext, 0);
        return plaintext;
    }

    private static ChaChaEngine keyedCipher(byte[] key, byte[] nonce) {
        ChaChaEngine cipher = new ChaChaEngine(20);
        cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return cipher;
    }

    /** Keystream block 0: its first half keys Poly1305, its second half is discarded. */
    private static Poly1305 macFromFirstBlock(ChaChaEngine cipher) {
        byte[] block = new byte[BLOCK_BYTES];
        cipher.processBytes(block, 0, BLOCK_BYTES, block, 0);
        Poly1305 mac = new Poly1305(block, 0);
        Arrays.fill(block, (byte) 0);
        return mac;
    }

    /** Tag over (empty ad) ‖ u64le(0) ‖ ciphertext ‖ u64le(|ciphertext|). */
    private static void authenticate(Poly1305 mac, byte[] ciphertext, int length, byte[] tagOut, int tagOffset) {
        byte[] lengthBlock = new byte[8];
        mac.update(lengthBlock, 0, 8);
        mac.update(ciphertext, 0, length);
        Pack.longToLittleEndian(length, lengthBlock, 0);
        mac.update(lengthBlock, 0, 8);
        mac.finish(tagOut, tagOffset);
    }
}
