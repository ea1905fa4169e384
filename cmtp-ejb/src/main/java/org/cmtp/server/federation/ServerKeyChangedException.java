package org.cmtp.server.federation;

import jakarta.ejb.ApplicationException;

import java.util.HexFormat;

/**
 * Another domain's server offered a key that differs from the one pinned for it. Not a
 * rollback: the offered key is recorded so the operator can see it and decide.
 */
@ApplicationException(rollback = false)
public class ServerKeyChangedException extends Exception {

    private static final long serialVersionUID = 1L;

    public ServerKeyChangedException(String domain, byte[] pinned, byte[] offered) {
        super("the CMTP server of " + domain + " offered key " + HexFormat.of().formatHex(offered)
                + " but " + HexFormat.of().formatHex(pinned) + " is pinned; refusing it until an operator forgets the pin"
                + " (DELETE /api/known-servers/" + domain + ")");
    }
}
