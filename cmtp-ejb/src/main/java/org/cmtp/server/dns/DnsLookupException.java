package org.cmtp.server.dns;

/**
 * The DNS did not give a usable answer: a server failed or refused, no answer came within
 * the timeout, or no MX host of the domain has an address. It may work later.
 */
public final class DnsLookupException extends MxLookupException {

    private static final long serialVersionUID = 1L;

    public DnsLookupException(String domain, String reason, Throwable cause) {
        super(domain, "DNS lookup for " + domain + " failed: " + reason, reason, cause);
    }
}
