package org.cmtp.server.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.xbill.DNS.Address;
import org.cmtp.protocol.DefaultPort;

/**
 * How {@link MxResolver} finds the CMTP servers of a domain. Built with {@link #builder()}
 * or read from configuration with {@link #fromSettings(Function)}; the keys are the
 * constants below, each also settable as the environment variable MicroProfile Config
 * derives from it ({@code cmtp.dns-servers} → {@code CMTP_DNS_SERVERS}).
 *
 * @param servers DNS servers to ask; empty means the system's (dnsjava's {@code ResolverConfig})
 * @param routes static routes; a domain with a route is never looked up in the DNS
 * @param trustAnchors DS/DNSKEY records in master-file format to validate against; empty
 *     means the IANA root trust anchors shipped with the server
 * @param timeout how long one DNS query may take, over all retries and servers
 * @param mxPort the CMTP port of servers found through the DNS, and of routes without a port
 */
public record DnsSettings(List<InetSocketAddress> servers, List<StaticRoute> routes, DnssecMode dnssec,
                          Optional<Path> trustAnchors, Duration timeout, int mxPort) {

    public static final String DNS_SERVERS = "cmtp.dns-servers";
    public static final String ROUTES = "cmtp.routes";
    public static final String DNSSEC = "cmtp.dnssec";
    public static final String TRUST_ANCHORS = "cmtp.dnssec-trust-anchors";
    public static final String TIMEOUT = "cmtp.dns-timeout";
    public static final String MX_PORT = "cmtp.mx-port";

    public static final int DNS_PORT = 53;
    /** PROTOCOL.md §7: CMTP servers listen on 9001 unless configured otherwise. */
    public static final int DEFAULT_MX_PORT = DefaultPort.CMTP;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(5);

    public DnsSettings {
        servers = List.copyOf(servers);
        routes = List.copyOf(routes);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be more than 0 and at most 300 s: " + timeout);
        }
        checkPort(mxPort);
    }

    /** System DNS servers, no routes, no DNSSEC, 5 s timeout, port 9001. */
    public static DnsSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the settings through a key lookup, e.g. MicroProfile Config's
     * {@code getOptionalValue(key, String.class)}. Blank values count as unset.
     *
     * @throws IllegalArgumentException naming the key, its environment variable and the
     *     bad value, if a value is not valid
     */
    public static DnsSettings fromSettings(Function<String, Optional<String>> settings) {
        Builder builder = builder();
        value(settings, DNS_SERVERS).ifPresent(v -> builder.servers(parse(DNS_SERVERS, v, DnsSettings::servers)));
        value(settings, ROUTES).ifPresent(v -> builder.routes(parse(ROUTES, v, DnsSettings::routes)));
        value(settings, DNSSEC).ifPresent(v -> builder.dnssec(parse(DNSSEC, v, DnssecMode::parse)));
        value(settings, TRUST_ANCHORS).ifPresent(v -> builder.trustAnchors(parse(TRUST_ANCHORS, v, DnsSettings::file)));
        value(settings, TIMEOUT).ifPresent(v -> builder.timeout(parse(TIMEOUT, v, DnsSettings::seconds)));
        value(settings, MX_PORT).ifPresent(v -> builder.mxPort(parse(MX_PORT, v, DnsSettings::port)));
        return builder.build();
    }

    private static Optional<String> value(Function<String, Optional<String>> settings, String key) {
        return settings.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " (" + environmentVariable(key) + ") = '" + value
                    + "' is not valid: " + e.getMessage(), e);
        }
    }

    /** The name MicroProfile Config also looks for: {@code cmtp.dns-servers} → {@code CMTP_DNS_SERVERS}. */
    static String environmentVariable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    // ---- value parsers; each throws IllegalArgumentException saying what is wrong -------

    /** {@code host[:port]}, comma-separated; IPv6 as {@code [::1]:53} or bare {@code ::1}. */
    static List<InetSocketAddress> servers(String value) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String item : items(value)) {
            HostAndPort server = HostAndPort.parse(item, DNS_PORT);
            servers.add(new InetSocketAddress(address(server.host()), server.port()));
        }
        return servers;
    }

    /** {@code domain=host[:port]}, comma-separated; a domain given twice gets both, in order. */
    static List<StaticRoute> routes(String value) {
        List<StaticRoute> routes = new ArrayList<>();
        for (String item : items(value)) {
            int equals = item.indexOf('=');
            if (equals <= 0 || equals == item.length() - 1) {
                throw new IllegalArgumentException("'" + item + "' is not domain=host[:port]");
            }
            String domain = DomainName.normalize(item.substring(0, equals).trim())
                    .orElseThrow(() -> new IllegalArgumentException("'" + item + "' does not start with a valid domain"));
            HostAndPort target = HostAndPort.parse(item.substring(equals + 1).trim(), 0);
            routes.add(new StaticRoute(domain, target.host(), target.port()));
        }
        return routes;
    }

    static Path file(String value) {
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("no readable file there");
        }
        return path;
    }

    /** Seconds, a decimal number such as {@code 5} or {@code 0.5}. */
    static Duration seconds(String value) {
        double seconds;
        try {
            seconds = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number of seconds");
        }
        if (!(seconds > 0 && seconds <= LONGEST_TIMEOUT.toSeconds())) {
            throw new IllegalArgumentException("expected more than 0 and at most "
                    + LONGEST_TIMEOUT.toSeconds() + " seconds");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    static int port(String value) {
        try {
            return checkPort(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a port number 1-65535");
        }
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 1-65535");
        }
        return port;
    }

    private static List<String> items(String value) {
        return java.util.Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /** An IP address as is; a name through the system resolver, once, at configuration time. */
    private static InetAddress address(String host) {
        try {
            return Address.isDottedQuad(host) || host.contains(":")
                    ? Address.getByAddress(host)
                    : InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host);
        }
    }

    /** {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port} or a bare IPv6 address. */
    record HostAndPort(String host, int port) {

        /** @param defaultPort the port when none is given; 0 leaves it to the caller */
        static HostAndPort parse(String text, int defaultPort) {
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("'" + text + "' has no closing ]");
                }
                String rest = text.substring(close + 1);
                if (!rest.isEmpty() && !rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "' has something after ] that is not :port");
                }
                return new HostAndPort(ipv6(text.substring(1, close)), rest.isEmpty() ? defaultPort : DnsSettings.port(rest.substring(1)));
            }
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                return new HostAndPort(ipv6(text), defaultPort);
            }
            String host = colon < 0 ? text : text.substring(0, colon);
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
            }
            return new HostAndPort(host, colon < 0 ? defaultPort : DnsSettings.port(text.substring(colon + 1)));
        }

        private static String ipv6(String text) {
            try {
                Address.getByAddress(text, Address.IPv6);
                return text;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
            }
        }
    }

    /** Collects settings; every value has a default. */
    public static final class Builder {
        private List<InetSocketAddress> servers = List.of();
        private List<StaticRoute> routes = List.of();
        private DnssecMode dnssec = DnssecMode.OFF;
        private Path trustAnchors;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int mxPort = DEFAULT_MX_PORT;

        private Builder() {
        }

        public Builder servers(List<InetSocketAddress> servers) {
            this.servers = servers;
            return this;
        }

        public Builder server(InetSocketAddress server) {
            List<InetSocketAddress> more = new ArrayList<>(servers);
            more.add(server);
            return servers(more);
        }

        public Builder routes(List<StaticRoute> routes) {
            this.routes = routes;
            return this;
        }

        public Builder dnssec(DnssecMode dnssec) {
            this.dnssec = dnssec;
            return this;
        }

        /** Validate against these DS/DNSKEY records instead of the IANA root trust anchors. */
        public Builder trustAnchors(Path trustAnchors) {
            this.trustAnchors = trustAnchors;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder mxPort(int mxPort) {
            this.mxPort = mxPort;
            return this;
        }

        public DnsSettings build() {
            return new DnsSettings(servers, routes, dnssec, Optional.ofNullable(trustAnchors), timeout, mxPort);
        }
    }
}
