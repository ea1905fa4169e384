package org.cmtp.server.dns;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Mail domains as the DNS knows them, so routes and lookups agree on one spelling. */
final class DomainName {

    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private DomainName() {
    }

    /**
     * Lower case, no final dot, international names as A-labels ({@code bücher.example} →
     * {@code xn--bcher-kva.example}). Empty if it cannot be a DNS host name.
     */
    static Optional<String> normalize(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        String trimmed = domain.trim();
        if (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            String ascii = IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            if (!HOST_NAME.matcher(ascii).matches()) {
                return Optional.empty();
            }
            Name.fromString(ascii, Name.root); // label and name length limits
            return Optional.of(ascii);
        } catch (IllegalArgumentException | TextParseException e) {
            return Optional.empty();
        }
    }
}
