package org.cmtp.crypto;

/** An Ed25519 signature does not verify for the given public key and message. */
public class SignatureInvalidException extends CryptoException {

    public SignatureInvalidException(String message) {
        super(message);
    }
}
