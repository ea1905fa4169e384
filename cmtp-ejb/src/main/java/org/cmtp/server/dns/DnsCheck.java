package org.cmtp.server.dns;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the resolver would do for a domain, in detail, for the operator
 * ({@code GET /api/dns/{domain}}): each MX host with its addresses, or why it has none.
 *
 * @param hosts the MX hosts in the order they would be tried (for an implicit MX the
 *     domain itself; for a static route one entry per route; empty for a null MX)
 * @param secure as in {@link Destination#secure()}
 * @param dnssec the policy the answers were judged by
 */
public record DnsCheck(String domain, Destination.Source source, List<MxHost> hosts, boolean secure,
                       DnssecMode dnssec) {

    /** An MX host: its preference, its addresses with the CMTP port, and any lookup problem. */
    public record MxHost(String name, int preference, List<InetSocketAddress> addresses, Optional<String> problem) {
        public MxHost {
            addresses = List.copyOf(addresses);
        }
    }

    public DnsCheck {
        hosts = List.copyOf(hosts);
    }

    /** Whether a {@code cmtp.routes} entry applied instead of the DNS. */
    public boolean staticRoute() {
        return source == Destination.Source.STATIC_ROUTE;
    }

    /** The addresses to try, in order: by host preference, IPv4 before IPv6 within a host. */
    public List<DeliveryTarget> targets() {
        return hosts.stream()
                .flatMap(h -> h.addresses().stream().map(a -> new DeliveryTarget(h.name(), a, h.preference())))
                .toList();
    }
}
