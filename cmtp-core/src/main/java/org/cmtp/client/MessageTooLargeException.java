package org.cmtp.client;

/**
 * The message is larger than the {@code SIZE} the server advertised in its OHAI reply, so
 * it was not sent (the server would refuse it and close the connection). The connection
 * stays usable.
 */
public class MessageTooLargeException extends CmtpClientException {

    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(String server, long size, long limit) {
        super(server, "MAIL", "message of " + size + " bytes is over the server's SIZE " + limit);
    }
}
