package org.cmtp.crypto;

/**
 * Base of every failure of the CMTP crypto layer.
 *
 * <p>Unchecked on purpose: a failed decryption or signature check is an answer about
 * the data (a damaged mail, a forged reply), not a programming error the caller could
 * have avoided, but callers at the protocol edge want to catch all of them in one
 * place and turn them into a {@code FAILURE} reply. Messages name the cause and never
 * contain key material.
 */
public class CryptoException extends RuntimeException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
