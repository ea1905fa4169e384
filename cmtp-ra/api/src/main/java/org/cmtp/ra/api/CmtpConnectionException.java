package org.cmtp.ra.api;

import jakarta.resource.ResourceException;

import org.cmtp.client.CmtpClientException;

/**
 * A {@link CmtpConnection} call failed; the cause is the typed client exception, and the
 * error code is its simple class name (e.g. {@code NoSuchAccountException}).
 */
public class CmtpConnectionException extends ResourceException {

    private static final long serialVersionUID = 1L;

    public CmtpConnectionException(CmtpClientException cause) {
        super(cause.getMessage(), cause);
        setErrorCode(cause.getClass().getSimpleName());
    }

    public CmtpConnectionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return the client exception that caused this, or null when there is none */
    public CmtpClientException clientException() {
        return getCause() instanceof CmtpClientException e ? e : null;
    }
}
