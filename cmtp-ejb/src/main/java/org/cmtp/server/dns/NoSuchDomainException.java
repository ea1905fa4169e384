package org.cmtp.server.dns;

/** The domain does not exist (NXDOMAIN), or is not even a valid DNS name: no mail can go there. */
public final class NoSuchDomainException extends MxLookupException {

    private static final long serialVersionUID = 1L;

    public NoSuchDomainException(String domain, String reason) {
        super(domain, "no such domain " + domain + ": " + reason, reason, null);
    }
}
