package org.cmtp.client;

/**
 * The server at the other end does not speak CMTP: it greeted with an SMTP reply line
 * ({@code 220 mx.example.org ESMTP}) instead of a CMTP banner. A relay takes this, like a
 * refused connection, as "this host has no CMTP server" (ADR 0028), not as a transient
 * failure. The client is broken afterwards.
 */
public class NotCmtpServerException extends ConnectionFailedException {

    private static final long serialVersionUID = 1L;

    public NotCmtpServerException(String server, String greeting) {
        super(server, "banner", "the server greeted in SMTP, not CMTP: " + greeting, null);
    }
}
