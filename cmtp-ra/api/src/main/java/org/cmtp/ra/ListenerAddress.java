package org.cmtp.ra;

import org.cmtp.protocol.DefaultPort;

/**
 * Where this server's CMTP listener is: {@code cmtp.bind} and {@code cmtp.port}, read here
 * for the adapter that binds the socket and for everything that must agree with it (the
 * outbound connections to this server, the readiness check, the relay worker's name, the
 * dial policy). One place, one default: the wildcard address, port 9001.
 */
public final class ListenerAddress {

    public static final String BIND = "cmtp.bind";
    public static final String PORT = "cmtp.port";
    /** Every address of this host. */
    public static final String WILDCARD = "0.0.0.0";

    private ListenerAddress() {
    }

    /** The configured bind address, as written ({@code cmtp.bind}; default the wildcard). */
    public static String bind() {
        return Setting.text(BIND, WILDCARD);
    }

    /** The listener's port ({@code cmtp.port}; default {@value DefaultPort#CMTP}). */
    public static int port() {
        return Setting.integer(PORT, DefaultPort.CMTP);
    }

    /**
     * The address a client on this host dials to reach the listener: the bind address, with
     * a wildcard read as loopback of the same family. (The launcher, a shell script, applies
     * the same rule to the HTTPS address its backup command calls.)
     */
    public static String localHost() {
        return dialable(bind());
    }

    static String dialable(String bind) {
        return switch (bind) {
            case WILDCARD, "" -> "127.0.0.1";
            case "::", "[::]", "0:0:0:0:0:0:0:0" -> "::1";
            default -> bind;
        };
    }
}
