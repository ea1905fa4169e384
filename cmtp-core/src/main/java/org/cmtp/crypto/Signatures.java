package org.cmtp.crypto;

import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 detached signatures, byte-compatible with libsodium's
 * {@code crypto_sign_detached} / {@code crypto_sign_verify_detached}.
 *
 * <p>CMTP servers sign every status and key reply with them, so that a client that
 * trusts only its own server can check every answer it relays. Ed25519 is
 * deterministic: the same key and message always give the same 64 bytes, which is why
 * the protocol's test vectors can pin whole replies.
 *
 * <p>Verification refuses what libsodium 1.0.18 refuses: a non-canonical S, an R or
 * public key of small order, a non-canonical public key or one that is not on the curve.
 */
public final class Signatures {

    public static final int SIGNATURE_BYTES = 64;

    private Signatures() {
    }

    /** Signs {@code message} with a key pair (which is known to be consistent). */
    public static byte[] sign(Ed25519KeyPair signer, byte[] message) {
        Objects.requireNonNull(message, "message");
        return sign(signer, message, 0, message.length);
    }

    /** Signs {@code length} bytes of {@code message} from {@code offset}. */
    public static byte[] sign(Ed25519KeyPair signer, byte[] message, int offset, int length) {
        Objects.requireNonNull(signer, "signer");
        Lengths.requireRange(message, offset, length, "message");
        byte[] signature = new byte[SIGNATURE_BYTES];
        Ed25519.sign(signer.secretKeyView(), 0, signer.publicKeyView(), 0,
                message, offset, length, signature, 0);
        return signature;
    }

    /**
     * Signs with a raw 64-byte libsodium secret key. The key's public-key half is
     * checked against its seed first (see {@link Ed25519KeyPair}); callers that sign
     * often should keep an {@link Ed25519KeyPair} instead.
     */
    public static byte[] sign(byte[] secretKey, byte[] message) {
        return sign(Ed25519KeyPair.fromSecretKey(secretKey), message);
    }

    /** True when {@code signature} is a valid signature of {@code message} by {@code publicKey}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        return verify(publicKey, message, 0, message.length, signature);
    }

    /** True when {@code signature} is valid for {@code length} bytes of {@code message} from {@code offset}. */
    public static boolean verify(byte[] publicKey, byte[] message, int offset, int length,
            byte[] signature) {
        Lengths.require(publicKey, Ed25519KeyPair.PUBLIC_KEY_BYTES, "Ed25519 public key");
        Lengths.require(signature, SIGNATURE_BYTES, "Ed25519 signature");
        Lengths.requireRange(message, offset, length, "message");
        if (SmallOrderPoints.contains(signature, 0) || SmallOrderPoints.contains(publicKey, 0)) {
            return false;
        }
        return Ed25519.verify(signature, 0, publicKey, 0, message, offset, length);
    }

    /**
     * As {@link #verify(byte[], byte[], byte[])}, but throws instead of returning false.
     *
     * @throws SignatureInvalidException if the signature does not verify
     */
    public static void verifyOrThrow(byte[] publicKey, byte[] message, byte[] signature) {
        if (!verify(publicKey, message, signature)) {
            throw new SignatureInvalidException(
                    "Ed25519 signature does not verify for this public key and message");
        }
    }
}
