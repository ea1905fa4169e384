package org.cmtp.server.dns;

import java.util.Optional;
import java.util.regex.Pattern;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import org.cmtp.protocol.DomainNames;

/** Mail domains as the DNS knows them, so routes and lookups agree on one spelling. */
final class DomainName {

    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private DomainName() {
    }

    /**
     * The canonical form of {@link DomainNames#canonical} (lower case, no final dot,
     * international names as A-labels: {@code bücher.example} → {@code xn--bcher-kva.example}),
     * the one spelling the rest of the server uses. Empty if it cannot be a DNS host name.
     */
    static Optional<String> normalize(String domain) {
        if (domain == null || domain.isBlank()) {
            return Optional.empty();
        }
        try {
            String ascii = DomainNames.canonical(domain.trim());
            if (!HOST_NAME.matcher(ascii).matches()) {
                return Optional.empty();
            }
            Name.fromString(ascii, Name.root); // label and name length limits
            return Optional.of(ascii);
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }
}
