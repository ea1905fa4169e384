package org.cmtp.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * Crypto version 1: a {@link SealedBox} to the X25519 image ({@link BoxKeys}) of the
 * recipient's Ed25519 key, exactly what libsodium-based CMTP clients produce.
 */
final class SealedBoxCryptoSystem implements CryptoSystem {

    static final SealedBoxCryptoSystem INSTANCE = new SealedBoxCryptoSystem();

    private SealedBoxCryptoSystem() {
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public byte[] seal(byte[] plaintext, byte[] recipientEd25519PublicKey) {
        return SealedBox.seal(plaintext, BoxKeys.toX25519PublicKey(recipientEd25519PublicKey));
    }

    @Override
    public byte[] open(byte[] sealed, Ed25519KeyPair recipient) {
        Objects.requireNonNull(recipient, "recipient");
        byte[] publicKey = BoxKeys.toX25519PublicKey(recipient.publicKeyView());
        byte[] secretKey = BoxKeys.toX25519SecretKey(recipient);
        try {
            return SealedBox.open(sealed, publicKey, secretKey);
        } finally {
            Arrays.fill(secretKey, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "CryptoSystem[1, sealed box]";
    }
}
