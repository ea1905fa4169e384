package org.cmtp.server.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import org.cmtp.protocol.DomainNames;
import org.cmtp.ra.ListenerAddress;
import org.cmtp.ra.MessageLimits;
import org.cmtp.server.dns.DnsSettings;

/**
 * The server's configuration, read through MicroProfile Config: each key
 * {@code cmtp.x-y} can also be set as the environment variable {@code CMTP_X_Y}.
 * README "Configuration" lists every key with its default.
 */
@ApplicationScoped
public class CmtpConfiguration {

    private static final Logger LOG = Logger.getLogger(CmtpConfiguration.class.getName());
    /** The domain served when {@code cmtp.domain} is not set (the launcher has the same default). */
    public static final String DEFAULT_DOMAIN = "localhost";

    private List<String> domains;
    private long keyCacheSeconds;
    private RelayNetworks relayNetworks;
    private long retryInitialSeconds;
    private long retryMaxSeconds;
    private long queueLifetimeSeconds;
    private long relayLeaseSeconds;
    private int loginRate;
    private int adminLoginFailures;
    private long adminLockoutSeconds;
    private long userSessionSeconds;
    private int signInRate;
    private long maxMessageSize;
    private int maxAttachments;
    private int keyCacheSize;
    private int foreignKeyRate;
    private int localKeyRate;
    private RelayNetworks dialNetworks;
    private RelayNetworks adminNetworks;
    private long deliveryDeadlineSeconds;
    private long retentionDays;
    private long retentionIntervalSeconds;
    private int relayMaxPow;
    private int relayParallelism;
    private InetAddress bindAddress;
    private int port;
    private boolean smtpGateway;
    private InetAddress smtpGatewayBind;
    private int smtpGatewayPort;
    private long smtpGatewayMaxMessageSize;
    private int smtpMxPort;
    private Optional<InetSocketAddress> smtpSmarthost;
    private Optional<Path> bodyDirectory;
    private DnsSettings dnsSettings;
    private Optional<Path> generatedAdminPasswordFile;
    private Optional<String> adminPassword;

    @PostConstruct
    void read() {
        Config config = ConfigProvider.getConfig();
        read(key -> config.getOptionalValue(key, String.class));
    }

    /**
     * The configuration as {@code settings} gives it, outside a container (tests, tools): a
     * key lookup such as {@code key -> Optional.ofNullable(map.get(key))}. The CMTP
     * listener's own keys are read as the adapter reads them (see {@link #read(Function)}).
     *
     * @throws IllegalStateException or IllegalArgumentException naming the key whose value is not valid
     */
    public static CmtpConfiguration from(Function<String, Optional<String>> settings) {
        CmtpConfiguration configuration = new CmtpConfiguration();
        configuration.read(settings);
        return configuration;
    }

    /**
     * Reads every {@code cmtp.*} key of the server: those of this class through
     * {@code settings} (MicroProfile Config in the container), and those the resource
     * adapter reads as well ({@code cmtp.bind}, {@code cmtp.port}, {@code cmtp.max-message-size},
     * {@code cmtp.max-attachments}) as the adapter reads them ({@link ListenerAddress},
     * {@link MessageLimits}), so that the two never disagree.
     */
    void read(Function<String, Optional<String>> settings) {
        String raw = settings.apply("cmtp.domain").orElse(DEFAULT_DOMAIN);
        domains = Arrays.stream(raw.split("[,\\s]+"))
                .map(String::trim)
                .filter(d -> !d.isEmpty())
                .map(DomainNames::canonical)
                .distinct()
                .toList();
        if (domains.isEmpty()) {
            throw new IllegalStateException("cmtp.domain (CMTP_DOMAIN) names no domain: '" + raw + "'");
        }
        keyCacheSeconds = seconds(settings, "cmtp.key-cache-ttl", 3600);
        relayNetworks = RelayNetworks.parse(settings.apply("cmtp.relay-networks")
                .orElse(RelayNetworks.LOOPBACK));
        retryInitialSeconds = seconds(settings, "cmtp.retry-initial", 60);
        retryMaxSeconds = seconds(settings, "cmtp.retry-max", 3600);
        queueLifetimeSeconds = seconds(settings, "cmtp.queue-lifetime", 5 * 24 * 3600);
        relayLeaseSeconds = seconds(settings, "cmtp.relay-lease", 600);
        loginRate = (int) count(settings, "cmtp.login-rate", 60);
        adminLoginFailures = (int) count(settings, "cmtp.admin-login-failures", 10);
        adminLockoutSeconds = seconds(settings, "cmtp.admin-lockout", 60);
        userSessionSeconds = seconds(settings, "cmtp.user-session-lifetime", 7 * 24 * 3600);
        signInRate = (int) count(settings, "cmtp.signin-rate", 30);
        // read as the CMTP listener's activation spec reads them, with its defaults
        maxMessageSize = MessageLimits.maxMessageSize();
        maxAttachments = MessageLimits.maxAttachments();
        keyCacheSize = (int) count(settings, "cmtp.key-cache-size", 10_000);
        foreignKeyRate = (int) count(settings, "cmtp.foreign-key-rate", 60);
        localKeyRate = (int) count(settings, "cmtp.local-key-rate", 300);
        dialNetworks = RelayNetworks.parse(settings.apply("cmtp.dial-networks").orElse(""),
                "cmtp.dial-networks (CMTP_DIAL_NETWORKS)");
        adminNetworks = RelayNetworks.parse(settings.apply("cmtp.admin-networks")
                .orElse(RelayNetworks.LOOPBACK), "cmtp.admin-networks (CMTP_ADMIN_NETWORKS)");
        deliveryDeadlineSeconds = seconds(settings, "cmtp.delivery-deadline", 120);
        if (deliveryDeadlineSeconds >= relayLeaseSeconds) {
            LOG.warning(() -> "CMTP cmtp.delivery-deadline (" + deliveryDeadlineSeconds + " s) is not shorter than"
                    + " cmtp.relay-lease (" + relayLeaseSeconds + " s): a hanging delivery may outlive its lease, and"
                    + " another worker may then send the same message again");
        }
        retentionDays = count(settings, "cmtp.retention-days", 0);
        retentionIntervalSeconds = seconds(settings, "cmtp.retention-interval", 24 * 3600);
        relayMaxPow = (int) count(settings, "cmtp.relay-max-pow", 24);
        if (relayMaxPow > 512) {
            throw new IllegalStateException("cmtp.relay-max-pow (CMTP_RELAY_MAX_POW) must be 0..512 bits, was " + relayMaxPow);
        }
        relayParallelism = (int) Math.max(1, count(settings, "cmtp.relay-parallelism", 8));
        // as the adapter that binds the listener reads them, so that both agree
        String bind = ListenerAddress.bind();
        try {
            bindAddress = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cmtp.bind (CMTP_BIND) is not an address of this host: '" + bind + "'", e);
        }
        port = ListenerAddress.port();
        // the SMTP gateway (README "Living beside SMTP"): off unless asked for, loopback unless told otherwise
        smtpGateway = Boolean.parseBoolean(settings.apply("cmtp.smtp-gateway")
                .orElse("false").trim());
        String gatewayBind = settings.apply("cmtp.smtp-gateway-bind").orElse("127.0.0.1").trim();
        try {
            smtpGatewayBind = InetAddress.getByName(gatewayBind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cmtp.smtp-gateway-bind (CMTP_SMTP_GATEWAY_BIND) is not an address of this"
                    + " host: '" + gatewayBind + "'", e);
        }
        smtpGatewayPort = (int) count(settings, "cmtp.smtp-gateway-port", 2525);
        if (smtpGatewayPort < 1 || smtpGatewayPort > 65535) {
            throw new IllegalStateException("cmtp.smtp-gateway-port (CMTP_SMTP_GATEWAY_PORT) must be 1..65535, was "
                    + smtpGatewayPort);
        }
        smtpGatewayMaxMessageSize = count(settings, "cmtp.smtp-gateway-max-message-size", 10 * 1024 * 1024);
        // plaintext to domains without a CMTP server (README "Living beside SMTP", ADR 0028)
        smtpMxPort = (int) count(settings, "cmtp.smtp-mx-port", 25);
        if (smtpMxPort < 1 || smtpMxPort > 65535) {
            throw new IllegalStateException("cmtp.smtp-mx-port (CMTP_SMTP_MX_PORT) must be 1..65535, was " + smtpMxPort);
        }
        smtpSmarthost = settings.apply("cmtp.smtp-smarthost").map(String::trim)
                .filter(s -> !s.isEmpty()).map(CmtpConfiguration::smarthost);
        bodyDirectory = settings.apply("cmtp.body-dir").map(String::trim).filter(d -> !d.isEmpty()).map(Path::of);
        try {
            dnsSettings = DnsSettings.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        generatedAdminPasswordFile = settings.apply("cmtp.generated-admin-password-file")
                .map(String::trim).filter(p -> !p.isEmpty()).map(Path::of);
        adminPassword = settings.apply("cmtp.admin-password").filter(p -> !p.isBlank());
        LOG.info(() -> "CMTP serving domain(s) " + String.join(", ", domains) + "; relaying for " + relayNetworks
                + "; dialling non-public networks: " + dialNetworks + "; admin surfaces answer " + adminNetworks);
    }

    /** Days a stored message is kept (cmtp.retention-days); 0: for ever. */
    public long retentionDays() {
        return retentionDays;
    }

    /** Seconds between retention sweeps (cmtp.retention-interval), a day by default. */
    public long retentionIntervalSeconds() {
        return retentionIntervalSeconds;
    }

    private static long seconds(Function<String, Optional<String>> settings, String key, long defaultValue) {
        String raw = settings.apply(key).orElse(null);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(key + " (" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                + ") must be a positive number of seconds, was '" + raw + "'");
    }

    /** A count that may be 0 (meaning: no limit). */
    private static long count(Function<String, Optional<String>> settings, String key, long defaultValue) {
        String raw = settings.apply(key).orElse(null);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(key + " (" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                + ") must be a number ≥ 0, was '" + raw + "'");
    }

    /** LOGIN commands one client address may send per minute on the CMTP port; 0: no limit. */
    public int loginRate() {
        return loginRate;
    }

    /** Failed admin logins from one client address before it is locked out; 0: never locked out. */
    public int adminLoginFailures() {
        return adminLoginFailures;
    }

    /** The first admin lockout, in seconds; each further failure doubles it, up to an hour. */
    public long adminLockoutSeconds() {
        return adminLockoutSeconds;
    }

    /** How long a user API session lasts after its sign-in. */
    public long userSessionSeconds() {
        return userSessionSeconds;
    }

    /** Sign-in attempts (challenges and proofs) per minute per client address, and per account; 0: no limit. */
    public int signInRate() {
        return signInRate;
    }

    /** The largest message accepted, in bytes, on the CMTP port and through the user API alike. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    public int maxAttachments() {
        return maxAttachments;
    }

    /** Relayed keys kept at most; the least recently used goes first. 0: none kept. */
    public int keyCacheSize() {
        return keyCacheSize;
    }

    /** KEYREQUESTs for other domains' keys one client address (IPv6: its /64) may send per minute; 0: no limit. */
    /**
     * Key requests for accounts of this server's own domains that one client outside
     * {@code cmtp.relay-networks} may send per minute; 0: no limit.
     */
    public int localKeyRate() {
        return localKeyRate;
    }

    public int foreignKeyRate() {
        return foreignKeyRate;
    }

    /** Non-public networks the relay may dial all the same (e.g. a test or an internal federation). */
    public RelayNetworks dialNetworks() {
        return dialNetworks;
    }

    /**
     * Clients that may reach the admin surfaces over HTTP: the admin API, the console,
     * {@code /metrics}, {@code /health} and {@code /openapi}. The user API answers everyone.
     */
    public RelayNetworks adminNetworks() {
        return adminNetworks;
    }

    /** How long one attempt to reach another domain (delivery or key relay) may take in all. */
    public long deliveryDeadlineSeconds() {
        return deliveryDeadlineSeconds;
    }

    /** The highest proof-of-work difficulty (bits) the relay computes; a server asking more is given up on for now. */
    public int relayMaxPow() {
        return relayMaxPow;
    }

    /** How many domains the relay worker of this instance delivers to at once. */
    public int relayParallelism() {
        return relayParallelism;
    }

    /** The address the CMTP listener is bound to ({@code cmtp.bind}; the wildcard for all). */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** The CMTP listener's port ({@code cmtp.port}). */
    public int port() {
        return port;
    }

    /** Whether the SMTP gateway listens ({@code cmtp.smtp-gateway}, off by default). */
    public boolean smtpGateway() {
        return smtpGateway;
    }

    /** The address the SMTP gateway binds to ({@code cmtp.smtp-gateway-bind}, loopback by default). */
    public InetAddress smtpGatewayBind() {
        return smtpGatewayBind;
    }

    public int smtpGatewayPort() {
        return smtpGatewayPort;
    }

    /** Largest RFC 5322 message the gateway takes, in bytes (advertised as SIZE, enforced at DATA). */
    public long smtpGatewayMaxMessageSize() {
        return smtpGatewayMaxMessageSize;
    }

    /** The SMTP port of the MX hosts of domains without a CMTP server ({@code cmtp.smtp-mx-port}, 25). */
    public int smtpMxPort() {
        return smtpMxPort;
    }

    /**
     * Where plaintext mail for domains without a CMTP server goes instead of their MX hosts
     * ({@code cmtp.smtp-smarthost}, {@code host:port}); empty: to the MX hosts. Not resolved
     * yet: the host is looked up at each delivery.
     */
    public Optional<InetSocketAddress> smtpSmarthost() {
        return smtpSmarthost;
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}; the port is 25 when not given. */
    static InetSocketAddress smarthost(String raw) {
        String host = raw;
        int port = 25;
        int colon = raw.lastIndexOf(':');
        boolean onePort = colon >= 0 && raw.indexOf(':') == colon; // host:port, not a bare IPv6 address
        if (onePort || raw.startsWith("[") && raw.contains("]:")) {
            host = raw.substring(0, colon);
            try {
                port = Integer.parseInt(raw.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalStateException("cmtp.smtp-smarthost (CMTP_SMTP_SMARTHOST) must be host:port, was '" + raw + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** How long a key relayed from another domain is reused before it is asked again. */
    public long keyCacheSeconds() {
        return keyCacheSeconds;
    }

    /** Clients allowed to send mail for other domains through this server. */
    public RelayNetworks relayNetworks() {
        return relayNetworks;
    }

    public long retryInitialSeconds() {
        return retryInitialSeconds;
    }

    public long retryMaxSeconds() {
        return retryMaxSeconds;
    }

    /**
     * How long a relay worker holds the messages it claimed: after that (its instance died)
     * any worker may take them again. Longer than a round of deliveries may take.
     */
    public long relayLeaseSeconds() {
        return relayLeaseSeconds;
    }

    public long queueLifetimeSeconds() {
        return queueLifetimeSeconds;
    }

    /** The domains this server accepts mail for; the first is its primary domain. */
    public List<String> domains() {
        return domains;
    }

    public String primaryDomain() {
        return domains.get(0);
    }

    /**
     * Whether {@code domain} is served here, compared in canonical form: {@code Example.ORG.},
     * {@code example.org} and {@code example。org} are one domain, never "another" one to relay to.
     */
    public boolean isLocalDomain(String domain) {
        return domain.isEmpty() || domains.contains(DomainNames.canonical(domain));
    }

    /**
     * {@code cmtp.generated-admin-password-file}: where a generated admin password is
     * written (owner-only) instead of into the log, which is kept and copied by whatever
     * collects the server's output. Unset (the EAR): the log. The launcher sets
     * {@code $CMTP_DATA_DIR/admin-password}.
     */
    public Optional<Path> generatedAdminPasswordFile() {
        return generatedAdminPasswordFile;
    }

    /** The administrator password given by the operator, if any. */
    public Optional<String> adminPassword() {
        return adminPassword;
    }

    /**
     * Where large message bodies are kept as files ({@code cmtp.body-dir}, ADR 0019); empty:
     * every body stays in the database. The launcher sets {@code $CMTP_DATA_DIR/bodies} on H2.
     */
    public Optional<Path> bodyDirectory() {
        return bodyDirectory;
    }

    /** How the relay finds other domains' servers: {@code cmtp.dns-servers}, {@code cmtp.routes}, DNSSEC, {@code cmtp.mx-port}. */
    public DnsSettings dnsSettings() {
        return dnsSettings;
    }
}
