package org.cmtp.server.federation;

/** No server of another domain could be reached, or it answered nothing usable; the message says why, per server tried. */
public class RemoteDomainException extends Exception {

    private static final long serialVersionUID = 1L;

    public RemoteDomainException(String message) {
        super(message);
    }

    public RemoteDomainException(String message, Throwable cause) {
        super(message, cause);
    }
}
