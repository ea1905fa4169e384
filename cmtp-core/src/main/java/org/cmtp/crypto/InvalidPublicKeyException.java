package org.cmtp.crypto;

/**
 * A public key has the right length but is not usable: not a point of the curve, of
 * small order, or outside the prime-order subgroup. Such keys come from the network
 * (a key reply of another server), so this is a data error, not an argument error.
 */
public class InvalidPublicKeyException extends CryptoException {

    public InvalidPublicKeyException(String message) {
        super(message);
    }
}
