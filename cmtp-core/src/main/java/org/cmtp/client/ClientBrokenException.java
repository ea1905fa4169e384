package org.cmtp.client;

/** The client was used after it broke or was closed; open a new connection. */
public class ClientBrokenException extends CmtpClientException {

    private static final long serialVersionUID = 1L;

    public ClientBrokenException(String server, String command, String cause) {
        super(server, command, cause);
    }
}
