package org.cmtp.client;

/**
 * A reply's signature does not verify with the key the caller trusts for that server:
 * the reply was forged or damaged, or the server is not the one that was pinned. The
 * reply must not be used. The connection itself still works (the stream was well formed),
 * but a caller should not keep talking to a server it cannot authenticate.
 */
public class InvalidSignatureException extends CmtpClientException {

    private static final long serialVersionUID = 1L;

    public InvalidSignatureException(String server, String command, String cause) {
        super(server, command, cause);
    }
}
