package org.cmtp.server.dns;

/**
 * A CMTP server for a domain given in {@code cmtp.routes}, used instead of the DNS. The
 * host is an IP address or a host name resolved by the system resolver (so {@code /etc/hosts}
 * and container networks work), not by the configured DNS servers.
 *
 * @param domain normalized: lower case, no final dot, A-labels
 * @param port the CMTP port, or 0 for the resolver's {@code cmtp.mx-port}
 */
public record StaticRoute(String domain, String host, int port) {
}
