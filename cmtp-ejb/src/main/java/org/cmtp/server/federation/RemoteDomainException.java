package org.cmtp.server.federation;

/** No server of another domain could be reached, or it answered nothing usable; the message says why, per server tried. */
public class RemoteDomainException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean noCmtpServer;

    public RemoteDomainException(String message) {
        this(message, null, false);
    }

    public RemoteDomainException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private RemoteDomainException(String message, Throwable cause, boolean noCmtpServer) {
        super(message, cause);
        this.noCmtpServer = noCmtpServer;
    }

    /** The domain answered, and has no CMTP server: every host it names refused the CMTP port or spoke SMTP on it. */
    public static RemoteDomainException noCmtpServer(String message) {
        return new RemoteDomainException(message, null, true);
    }

    /**
     * Whether the domain has no CMTP server (ADR 0028): every MX host that could be dialled
     * refused the connection on the CMTP port or greeted in SMTP, and none failed in another
     * way (a timeout, a reset, a bad key: those may pass, and are retried). Only then may a
     * plaintext message go over SMTP.
     */
    public boolean noCmtpServer() {
        return noCmtpServer;
    }
}
