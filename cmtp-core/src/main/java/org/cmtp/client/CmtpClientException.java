package org.cmtp.client;

import java.io.IOException;

/**
 * A conversation with a CMTP server failed. Every message names the server, the command
 * and the cause, e.g. {@code "mx.example.org:9001 MAIL: receipt signature does not verify"}.
 *
 * <p>Checked, and an {@link IOException}, on purpose: to the caller every subclass means
 * "this server did not do what was asked", which is handled like a failed connection
 * (retry later, try the next MX, tell the user). The subclasses say what went wrong where
 * the caller wants to react differently: a forged or damaged reply
 * ({@link InvalidSignatureException}), a refusal ({@link CommandFailedException}), or a
 * connection that is gone ({@link ConnectionFailedException}).
 */
public class CmtpClientException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String server;
    private final String command;
    private final String reason;

    public CmtpClientException(String server, String command, String cause) {
        this(server, command, cause, null);
    }

    public CmtpClientException(String server, String command, String cause, Throwable underlying) {
        super(server + " " + command + ": " + cause, underlying);
        this.server = server;
        this.command = command;
        this.reason = cause;
    }

    /** @return {@code host:port} of the server */
    public String server() {
        return server;
    }

    /** @return the command that failed, e.g. {@code MAIL}, or {@code connect} */
    public String command() {
        return command;
    }

    /** @return what went wrong, without the server and command */
    public String reason() {
        return reason;
    }
}
