package org.cmtp.client;

/**
 * The signed status answering MAIL does not verify as the server's signature over
 * {@code WORD ‖ \0 ‖ BLAKE2b-512(message)}: there is no receipt, so the sender cannot
 * know whether the message was taken and must treat it as not delivered.
 */
public class ReceiptInvalidException extends InvalidSignatureException {

    private static final long serialVersionUID = 1L;

    public ReceiptInvalidException(String server, String command, String cause) {
        super(server, command, cause);
    }
}
