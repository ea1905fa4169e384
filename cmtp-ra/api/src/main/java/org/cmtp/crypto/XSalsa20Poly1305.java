package org.cmtp.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * libsodium's {@code crypto_secretbox} (XSalsa20 + Poly1305), working in place in the
 * caller's arrays so that a multi-megabyte mail is never copied more than once.
 *
 * <p>Layout, as {@code crypto_secretbox_easy}: tag (16) ‖ ciphertext. The Poly1305 key
 * is the first 32 bytes of the XSalsa20 keystream and the message is encrypted with the
 * keystream from byte 32 on (NaCl's "32 zero bytes" convention), so the keystream is
 * consumed in exactly that order here.
 */
final class XSalsa20Poly1305 {

    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 24;
    static final int TAG_BYTES = 16;

    private XSalsa20Poly1305() {
    }

    /**
     * Encrypts {@code length} bytes of {@code message} from {@code messageOffset} and
     * writes tag ‖ ciphertext to {@code out} at {@code outOffset}.
     */
    static void seal(byte[] key, byte[] nonce, byte[] message, int messageOffset, int length,
            byte[] out, int outOffset) {
        XSalsa20Engine cipher = keyedCipher(key, nonce);
        Poly1305 mac = macFromKeystream(cipher);
        int ciphertextOffset = outOffset + TAG_BYTES;
        cipher.processBytes(message, messageOffset, length, out, ciphertextOffset);
        mac.update(out, ciphertextOffset, length);
        mac.doFinal(out, outOffset);
    }

    /**
     * Checks the tag at {@code in[boxOffset..+16]} over the {@code ciphertextLength}
     * bytes after it and, only if it is right, decrypts them into {@code out} at
     * {@code outOffset}.
     *
     * @return false (and {@code out} untouched) when the tag is wrong
     */
    static boolean open(byte[] key, byte[] nonce, byte[] in, int boxOffset, int ciphertextLength,
            byte[] out, int outOffset) {
        XSalsa20Engine cipher = keyedCipher(key, nonce);
        Poly1305 mac = macFromKeystream(cipher);
        int ciphertextOffset = boxOffset + TAG_BYTES;
        mac.update(in, ciphertextOffset, ciphertextLength);
        byte[] expectedTag = new byte[TAG_BYTES];
        mac.doFinal(expectedTag, 0);
        boolean authentic = MessageDigest.isEqual(expectedTag,
                Arrays.copyOfRange(in, boxOffset, ciphertextOffset));
        if (authentic) {
            cipher.processBytes(in, ciphertextOffset, ciphertextLength, out, outOffset);
        }
        return authentic;
    }

    private static XSalsa20Engine keyedCipher(byte[] key, byte[] nonce) {
        XSalsa20Engine cipher = new XSalsa20Engine();
        cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return cipher;
    }

    /** Takes the first 32 keystream bytes as the one-time Poly1305 key. */
    private static Poly1305 macFromKeystream(XSalsa20Engine cipher) {
        byte[] macKey = new byte[32];
        cipher.processBytes(macKey, 0, macKey.length, macKey, 0);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        Arrays.fill(macKey, (byte) 0);
        return mac;
    }
}
