package org.cmtp.ra.api;

import java.io.Serializable;
import java.net.InetAddress;

/**
 * Who is asking: the remote address of a CMTP connection and the local address it
 * reached. Services use it for relay permission, rate limits and the log line.
 */
public record ClientInfo(InetAddress remoteAddress, int remotePort, InetAddress localAddress, int localPort)
        implements Serializable {

    public String remoteHost() {
        return remoteAddress.getHostAddress();
    }
}
