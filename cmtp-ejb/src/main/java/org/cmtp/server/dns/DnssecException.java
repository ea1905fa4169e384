package org.cmtp.server.dns;

/**
 * An answer was refused under the {@code cmtp.dnssec} policy: it failed validation
 * (bogus), or it was not signed (insecure) while the policy is {@link DnssecMode#REQUIRE}.
 */
public final class DnssecException extends MxLookupException {

    private static final long serialVersionUID = 1L;

    public DnssecException(String domain, String reason) {
        super(domain, "DNSSEC refused an answer for " + domain + ": " + reason, reason, null);
    }
}
