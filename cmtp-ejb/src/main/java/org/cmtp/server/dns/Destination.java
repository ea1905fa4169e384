package org.cmtp.server.dns;

import java.util.List;

/**
 * Where mail for a domain goes: the addresses to try, in order, and how they were found.
 *
 * @param secure whether every DNS answer behind the targets was DNSSEC-validated by this
 *     server; always false for static routes and with {@code cmtp.dnssec=off}
 */
public record Destination(String domain, Source source, List<DeliveryTarget> targets, boolean secure) {

    /** How the targets were found. */
    public enum Source {
        /** A {@code cmtp.routes} entry; no DNS was asked. */
        STATIC_ROUTE,
        /** The domain's MX records. */
        MX,
        /** No MX records: the domain's own addresses (RFC 5321 5.1). */
        IMPLICIT_MX,
        /** A null MX (RFC 7505): the domain accepts no mail; there are no targets. */
        NULL_MX
    }

    public Destination {
        targets = List.copyOf(targets);
    }

    /** False only for a null MX: the domain says it accepts no mail at all. */
    public boolean acceptsMail() {
        return source != Source.NULL_MX;
    }
}
