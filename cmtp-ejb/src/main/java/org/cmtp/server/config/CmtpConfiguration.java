package org.cmtp.server.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The server's configuration, read through MicroProfile Config: each key
 * {@code cmtp.x-y} can also be set as the environment variable {@code CMTP_X_Y}.
 * README "Configuration" lists every key with its default.
 */
@ApplicationScoped
public class CmtpConfiguration {

    private static final Logger LOG = Logger.getLogger(CmtpConfiguration.class.getName());

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

    @PostConstruct
    void read() {
        Config config = ConfigProvider.getConfig();
        String raw = config.getOptionalValue("cmtp.domain", String.class).orElse("localhost");
        domains = Arrays.stream(raw.split("[,\\s]+"))
                .map(d -> d.trim().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty())
                .distinct()
                .toList();
        if (domains.isEmpty()) {
            throw new IllegalStateException("cmtp.domain (CMTP_DOMAIN) names no domain: '" + raw + "'");
        }
        keyCacheSeconds = seconds(config, "cmtp.key-cache-ttl", 3600);
        relayNetworks = RelayNetworks.parse(config.getOptionalValue("cmtp.relay-networks", String.class)
                .orElse(RelayNetworks.LOOPBACK));
        retryInitialSeconds = seconds(config, "cmtp.retry-initial", 60);
        retryMaxSeconds = seconds(config, "cmtp.retry-max", 3600);
        queueLifetimeSeconds = seconds(config, "cmtp.queue-lifetime", 5 * 24 * 3600);
        relayLeaseSeconds = seconds(config, "cmtp.relay-lease", 600);
        loginRate = (int) count(config, "cmtp.login-rate", 60);
        adminLoginFailures = (int) count(config, "cmtp.admin-login-failures", 10);
        adminLockoutSeconds = seconds(config, "cmtp.admin-lockout", 60);
        userSessionSeconds = seconds(config, "cmtp.user-session-lifetime", 7 * 24 * 3600);
        signInRate = (int) count(config, "cmtp.signin-rate", 30);
        // the same keys and defaults as the CMTP listener's (CmtpActivationSpec)
        maxMessageSize = count(config, "cmtp.max-message-size", 25 * 1024 * 1024);
        maxAttachments = (int) count(config, "cmtp.max-attachments", 1000);
        LOG.info(() -> "CMTP serving domain(s) " + String.join(", ", domains) + "; relaying for " + relayNetworks);
    }

    private static long seconds(Config config, String key, long defaultValue) {
        String raw = config.getOptionalValue(key, String.class).orElse(null);
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
    private static long count(Config config, String key, long defaultValue) {
        String raw = config.getOptionalValue(key, String.class).orElse(null);
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

    public boolean isLocalDomain(String domain) {
        return domain.isEmpty() || domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code cmtp.generated-admin-password-file}: where a generated admin password is
     * written (owner-only) instead of into the log, which is kept and copied by whatever
     * collects the server's output. Unset (the EAR): the log. The launcher sets
     * {@code $CMTP_DATA_DIR/admin-password}.
     */
    public Optional<Path> generatedAdminPasswordFile() {
        return ConfigProvider.getConfig().getOptionalValue("cmtp.generated-admin-password-file", String.class)
                .map(String::trim).filter(p -> !p.isEmpty()).map(Path::of);
    }

    /** The administrator password given by the operator, if any. */
    public Optional<String> adminPassword() {
        return ConfigProvider.getConfig().getOptionalValue("cmtp.admin-password", String.class)
                .filter(p -> !p.isBlank());
    }
}
