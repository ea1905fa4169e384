package org.cmtp.crypto;

/** The bytes of an xzibit do not have the layout of section 2 of the protocol. */
public class MalformedXzibitException extends CryptoException {

    public MalformedXzibitException(String message) {
        super(message);
    }
}
