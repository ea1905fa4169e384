package org.cmtp.crypto;

/**
 * An xzibit did not open with the given password. The AEAD cannot tell a wrong
 * password from a damaged ciphertext, so the message says both.
 */
public class WrongPasswordException extends DecryptionFailedException {

    public WrongPasswordException(String message) {
        super(message);
    }
}
