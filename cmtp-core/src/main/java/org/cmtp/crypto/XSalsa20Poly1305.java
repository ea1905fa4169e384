package org.cmtp.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * libsodium's {@code crypto_secretbox} (XSalsa20 + Poly1305), working in the caller's
 * arrays so that a multi-megabyte mail is never copied more than once.
 *
 * <p>Layout, as {@code crypto_secretbox_easy}: tag (16) ‖ ciphertext. The Poly1305 key
 * is the first 32 bytes of the XSalsa20 keystream and the message is encrypted with the
 * keystream from byte 32 on (NaCl's "32 zero bytes" convention), so the keystream is
 * consumed in exactly that order here.
 *
 * <p>Cipher and MAC run over the same 16 KiB piece one after the other, so a large
 * message is read from memory once, not twice.
 */
final class XSalsa20Poly1305 {

    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 24;
    static final int TAG_BYTES = Poly1305.TAG_BYTES;

    private static final int PIECE_BYTES = 16 * 1024;
    private static final byte[] ZERO_MAC_KEY = new byte[Poly1305.KEY_BYTES];

    private XSalsa20Poly1305() {
    }

    /**
     * Encrypts {@code length} bytes of {@code message} from {@code messageOffset} and
     * writes tag ‖ ciphertext to {@code out} at {@code outOffset}.
     */
    static void seal(byte[] key, byte[] nonce, byte[] message, int messageOffset, int length,
            byte[] out, int outOffset) {
        XSalsa20 cipher = new XSalsa20(key, nonce);
        Poly1305 mac = macFromKeystream(cipher);
        int ciphertextOffset = outOffset + TAG_BYTES;
        for (int done = 0; done < length; done += PIECE_BYTES) {
            int piece = Math.min(PIECE_BYTES, length - done);
            cipher.xor(message, messageOffset + done, out, ciphertextOffset + done, piece);
            mac.update(out, ciphertextOffset + done, piece);
        }
        mac.finish(out, outOffset);
        cipher.wipe();
    }

    /**
     * Decrypts the {@code ciphertextLength} bytes after the tag at {@code in[boxOffset]}
     * into {@code out} at {@code outOffset} and checks the tag.
     *
     * @return false when the tag is wrong, and then the output range holds zeros, so a
     *         caller that drops its buffer on false never sees unauthenticated plaintext
     */
    static boolean open(byte[] key, byte[] nonce, byte[] in, int boxOffset, int ciphertextLength,
            byte[] out, int outOffset) {
        XSalsa20 cipher = new XSalsa20(key, nonce);
        Poly1305 mac = macFromKeystream(cipher);
        int ciphertextOffset = boxOffset + TAG_BYTES;
        for (int done = 0; done < ciphertextLength; done += PIECE_BYTES) {
            int piece = Math.min(PIECE_BYTES, ciphertextLength - done);
            mac.update(in, ciphertextOffset + done, piece);
            cipher.xor(in, ciphertextOffset + done, out, outOffset + done, piece);
        }
        cipher.wipe();
        byte[] expectedTag = new byte[TAG_BYTES];
        mac.finish(expectedTag, 0);
        boolean authentic = MessageDigest.isEqual(expectedTag,
                Arrays.copyOfRange(in, boxOffset, ciphertextOffset));
        if (!authentic) {
            Arrays.fill(out, outOffset, outOffset + ciphertextLength, (byte) 0);
        }
        return authentic;
    }

    /** Takes the first 32 keystream bytes as the one-time Poly1305 key. */
    private static Poly1305 macFromKeystream(XSalsa20 cipher) {
        byte[] macKey = new byte[Poly1305.KEY_BYTES];
        cipher.xor(ZERO_MAC_KEY, 0, macKey, 0, macKey.length);
        Poly1305 mac = new Poly1305(macKey, 0);
        Arrays.fill(macKey, (byte) 0);
        return mac;
    }
}
