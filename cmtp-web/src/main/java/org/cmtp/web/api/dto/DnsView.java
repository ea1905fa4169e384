package org.cmtp.web.api.dto;

import java.util.List;

public class DnsView {
    public String domain;
    /** {@code STATIC_ROUTE}, {@code MX}, {@code IMPLICIT_MX} or {@code NULL_MX}. */
    public String source;
    public boolean staticRoute;
    /** Whether every answer was authenticated by DNSSEC. */
    public boolean secure;
    /** The policy the answers were judged by: {@code off}, {@code prefer} or {@code require}. */
    public String dnssec;
    public List<HostView> hosts;
}
