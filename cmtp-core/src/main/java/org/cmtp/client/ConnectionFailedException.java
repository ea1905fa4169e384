package org.cmtp.client;

/**
 * The connection could not be made or broke: refused, reset, closed by the server, a
 * timeout, or a reply the client could not read. The client is broken afterwards.
 */
public class ConnectionFailedException extends CmtpClientException {

    private static final long serialVersionUID = 1L;

    public ConnectionFailedException(String server, String command, String cause, Throwable underlying) {
        super(server, command, cause, underlying);
    }
}
