package org.cmtp.client;

/**
 * The server's reply broke the wire format, or was a kind of reply that cannot answer the
 * command sent. The stream cannot be trusted any more, so the client is broken afterwards.
 */
public class MalformedServerReplyException extends ConnectionFailedException {

    private static final long serialVersionUID = 1L;

    public MalformedServerReplyException(String server, String command, String cause, Throwable underlying) {
        super(server, command, cause, underlying);
    }
}
