package org.cmtp.server.dns;

import java.util.Locale;

/** What the resolver does with DNSSEC ({@code cmtp.dnssec}). */
public enum DnssecMode {
    /** No validation; every answer counts as not secure. */
    OFF,
    /** Validate; use secure and insecure (unsigned) answers, refuse bogus ones. */
    PREFER,
    /** Validate; use only secure answers, refuse insecure and bogus ones. */
    REQUIRE;

    /** Parses {@code off}, {@code prefer} or {@code require}, in any case. */
    static DnssecMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected off, prefer or require", e);
        }
    }
}
