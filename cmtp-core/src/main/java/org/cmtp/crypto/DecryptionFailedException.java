package org.cmtp.crypto;

/**
 * Authenticated decryption was refused: the data is not what its sender sealed (a
 * tampered or truncated byte, or it was sealed to another key). No plaintext is ever
 * returned in that case.
 */
public class DecryptionFailedException extends CryptoException {

    public DecryptionFailedException(String message) {
        super(message);
    }
}
