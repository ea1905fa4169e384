package org.cmtp.ra.outbound;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** What the container shows about a CMTP connection: the protocol, and the server's banner as its version. */
public class CmtpManagedConnectionMetaData implements ManagedConnectionMetaData {

    private final String banner;

    CmtpManagedConnectionMetaData(String banner) {
        this.banner = banner;
    }

    @Override
    public String getEISProductName() {
        return "CMTP";
    }

    /** @return the server's banner, e.g. {@code Welcome to CMTP version 1} */
    @Override
    public String getEISProductVersion() {
        return banner;
    }

    /** @return 0: the server does not say how many connections it takes */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    /** @return empty: CMTP connections are not authenticated */
    @Override
    public String getUserName() {
        return "";
    }
}
