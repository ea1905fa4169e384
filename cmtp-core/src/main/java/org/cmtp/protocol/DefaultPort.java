package org.cmtp.protocol;

/** The TCP port of CMTP when none is configured (PROTOCOL.md §1.1), defined once for every module. */
public final class DefaultPort {

    /** 9001: where a client dials a server, and where a server listens, unless told otherwise. */
    public static final int CMTP = 9001;

    private DefaultPort() {
    }
}
