package org.cmtp.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Anonymous public-key encryption, byte-compatible with libsodium's
 * {@code crypto_box_seal} / {@code crypto_box_seal_open}; the body and attachments of
 * a version-1 CMTP mail are such boxes.
 *
 * <p>Sealing makes a throw-away X25519 pair (e, E); the box key is
 * HSalsa20(X25519(e, R), 0¹⁶) ({@code crypto_box_beforenm}) and the nonce is
 * BLAKE2b-192(E ‖ R), so nothing but E needs to travel with the ciphertext and the
 * sender is anonymous. Output: E (32) ‖ Poly1305 tag (16) ‖ XSalsa20 ciphertext.
 *
 * <p>Cost is linear in the message: one output array and one pass over the data (cipher
 * and MAC piece by piece). Opening never returns plaintext whose tag did not verify.
 */
public final class SealedBox {

    public static final int EPHEMERAL_KEY_BYTES = 32;
    /** Bytes a sealed box adds to its plaintext: ephemeral key and tag. */
    public static final int OVERHEAD = EPHEMERAL_KEY_BYTES + XSalsa20Poly1305.TAG_BYTES;

    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();
    private static final byte[] ZERO_INPUT = new byte[16];

    private SealedBox() {
    }

    /** Seals {@code message} to an X25519 public key, with the default random source. */
    public static byte[] seal(byte[] message, byte[] recipientX25519PublicKey) {
        return seal(message, recipientX25519PublicKey, DEFAULT_RANDOM);
    }

    /**
     * Seals {@code message} to an X25519 public key.
     *
     * @throws IllegalArgumentException  if the key is not 32 bytes
     * @throws InvalidPublicKeyException if the key is of small order (no secret could
     *                                   be agreed with it)
     */
    public static byte[] seal(byte[] message, byte[] recipientX25519PublicKey, SecureRandom random) {
        Objects.requireNonNull(message, "message");
        Lengths.require(recipientX25519PublicKey, BoxKeys.X25519_KEY_BYTES, "recipient X25519 public key");
        Objects.requireNonNull(random, "random");
        byte[] sealed = new byte[OVERHEAD + message.length];
        byte[] ephemeralSecret = new byte[X25519.SCALAR_SIZE];
        random.nextBytes(ephemeralSecret);
        X25519.generatePublicKey(ephemeralSecret, 0, sealed, 0);
        byte[] key = boxKey(ephemeralSecret, recipientX25519PublicKey);
        Arrays.fill(ephemeralSecret, (byte) 0);
        if (key == null) {
            throw new InvalidPublicKeyException("recipient X25519 public key is of small order");
        }
        byte[] nonce = nonce(sealed, 0, recipientX25519PublicKey);
        XSalsa20Poly1305.seal(key, nonce, message, 0, message.length, sealed, EPHEMERAL_KEY_BYTES);
        Arrays.fill(key, (byte) 0);
        return sealed;
    }

    /** Opens a whole array as a sealed box; see {@link #open(byte[], int, int, byte[], byte[])}. */
    public static byte[] open(byte[] sealed, byte[] recipientX25519PublicKey, byte[] recipientX25519SecretKey) {
        Objects.requireNonNull(sealed, "sealed box");
        return open(sealed, 0, sealed.length, recipientX25519PublicKey, recipientX25519SecretKey);
    }

    /**
     * Opens the sealed box in {@code length} bytes of {@code in} from {@code offset}.
     *
     * @throws IllegalArgumentException   if a key is not 32 bytes
     * @throws DecryptionFailedException  if the box is shorter than {@link #OVERHEAD},
     *                                    was not sealed to this key, or any byte of it
     *                                    was changed
     */
    public static byte[] open(byte[] in, int offset, int length,
            byte[] recipientX25519PublicKey, byte[] recipientX25519SecretKey) {
        Lengths.requireRange(in, offset, length, "sealed box");
        Lengths.require(recipientX25519PublicKey, BoxKeys.X25519_KEY_BYTES, "recipient X25519 public key");
        Lengths.require(recipientX25519SecretKey, BoxKeys.X25519_KEY_BYTES, "recipient X25519 secret key");
        if (length < OVERHEAD) {
            throw new DecryptionFailedException("sealed box too short: " + length
                    + " bytes, a sealed box has at least " + OVERHEAD);
        }
        byte[] ephemeralPublic = Arrays.copyOfRange(in, offset, offset + EPHEMERAL_KEY_BYTES);
        byte[] key = boxKey(recipientX25519SecretKey, ephemeralPublic);
        if (key == null) {
            throw new DecryptionFailedException("sealed box is damaged: its ephemeral key is of small order");
        }
        byte[] nonce = nonce(ephemeralPublic, 0, recipientX25519PublicKey);
        byte[] message = new byte[length - OVERHEAD];
        boolean authentic = XSalsa20Poly1305.open(key, nonce, in, offset + EPHEMERAL_KEY_BYTES,
                message.length, message, 0);
        Arrays.fill(key, (byte) 0);
        if (!authentic) {
            throw new DecryptionFailedException(
                    "sealed box does not open: it was damaged or sealed to another key");
        }
        return message;
    }

    /** crypto_box_beforenm: HSalsa20 of the X25519 shared point; null if that point is zero. */
    private static byte[] boxKey(byte[] secretKey, byte[] publicKey) {
        byte[] shared = new byte[X25519.POINT_SIZE];
        try {
            if (!X25519.calculateAgreement(secretKey, 0, publicKey, 0, shared, 0)) {
                return null;
            }
            return HSalsa20.derive(shared, ZERO_INPUT, 0);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    /** BLAKE2b-192(E ‖ R), unkeyed, as libsodium's crypto_box_seal_nonce. */
    private static byte[] nonce(byte[] ephemeralPublic, int offset, byte[] recipientPublic) {
        return Blake2b.withOutputLength(XSalsa20Poly1305.NONCE_BYTES)
                .update(ephemeralPublic, offset, EPHEMERAL_KEY_BYTES)
                .update(recipientPublic)
                .finish();
    }
}
