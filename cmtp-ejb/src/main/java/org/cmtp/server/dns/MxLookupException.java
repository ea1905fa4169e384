package org.cmtp.server.dns;

/**
 * Why the CMTP servers of a domain could not be found. The subclasses say what went
 * wrong, so a relay can tell a domain that does not exist ({@link NoSuchDomainException},
 * give up) from a lookup that may work later ({@link DnsLookupException},
 * {@link DnssecException}, retry). Checked, because every caller has to make that choice.
 */
public abstract class MxLookupException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String domain;
    private final String reason;

    /** @param message the whole message: what failed for the domain, then the reason */
    protected MxLookupException(String domain, String message, String reason, Throwable cause) {
        super(message, cause);
        this.domain = domain;
        this.reason = reason;
    }

    /** The mail domain that was being looked up. */
    public String domain() {
        return domain;
    }

    /** The message without the domain: what went wrong, e.g. {@code mx1.b.test A: SERVFAIL}. */
    public String reason() {
        return reason;
    }
}
