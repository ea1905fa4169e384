package org.cmtp.protocol;

import java.net.IDN;
import java.util.Locale;

/**
 * The one spelling of a mail domain (PROTOCOL.md §4a): lower case, international labels as
 * IDNA A-labels, no trailing dot. {@code "Example.ORG."} → {@code "example.org"},
 * {@code "bücher.example"} → {@code "xn--bcher-kva.example"}, {@code "a.test。"} →
 * {@code "a.test"} (the ideographic and full-width full stops are label separators, as in
 * IDNA). A server compares, pins, caches and logs domains only in this form, and an
 * address-bound key reply signs it, so client and server must compute it alike.
 */
public final class DomainNames {

    private DomainNames() {
    }

    /**
     * @return {@code domain} in canonical form; the empty string stays empty (a key request
     *         for the server's own domain). A string that IDNA cannot convert (e.g. a label
     *         over 63 bytes) is only lower-cased and stripped of its final dot: it names no
     *         domain the server could reach, and both sides still agree on its spelling.
     */
    public static String canonical(String domain) {
        if (domain.isEmpty()) {
            return domain;
        }
        String dotted = withAsciiDots(domain);
        if (dotted.endsWith(".")) {
            dotted = dotted.substring(0, dotted.length() - 1);
        }
        try {
            return IDN.toASCII(dotted, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return dotted.toLowerCase(Locale.ROOT);
        }
    }

    /** U+3002, U+FF0E and U+FF61 are full stops to IDNA (RFC 3490 §3.1). */
    private static String withAsciiDots(String domain) {
        return domain.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
    }
}
