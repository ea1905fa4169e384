package org.cmtp.web.api.dto;

import java.util.List;

public class HostView {
    public String name;
    public int preference;
    /** {@code address:port}, IPv6 as {@code [addr]:port}. */
    public List<String> addresses;
    public String problem;
}
