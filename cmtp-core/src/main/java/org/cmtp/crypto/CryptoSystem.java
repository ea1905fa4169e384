package org.cmtp.crypto;

/**
 * How the body and attachments of a mail are protected, chosen by the message's
 * crypto version field (protocol section 6): 0 is plaintext, 1 is libsodium's sealed
 * box. Get one from {@link CryptoSystems#forVersion(int)}. Implementations are
 * stateless and thread-safe.
 */
public interface CryptoSystem {

    /** The crypto version number this system is written as on the wire. */
    int version();

    /**
     * Protects {@code plaintext} for the owner of an Ed25519 public key (the key a
     * {@code KEYREQUEST} returned).
     *
     * @throws InvalidPublicKeyException if the key cannot be used
     */
    byte[] seal(byte[] plaintext, byte[] recipientEd25519PublicKey);

    /**
     * Recovers the plaintext that was sealed to {@code recipient}.
     *
     * @throws DecryptionFailedException if it was damaged or sealed to someone else
     */
    byte[] open(byte[] sealed, Ed25519KeyPair recipient);
}
