package org.cmtp.client;

import org.cmtp.protocol.StatusWord;

/**
 * The server answered a command with a signed status that refuses it (e.g. {@code FAILURE}
 * to KEYREQUEST). The signature was checked; the connection stays usable.
 */
public class CommandFailedException extends CmtpClientException {

    private static final long serialVersionUID = 1L;

    private final StatusWord status;

    public CommandFailedException(String server, String command, StatusWord status, String cause) {
        super(server, command, cause);
        this.status = status;
    }

    /** @return the status the server signed */
    public StatusWord status() {
        return status;
    }
}
