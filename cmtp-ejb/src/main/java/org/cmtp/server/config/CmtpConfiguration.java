package org.cmtp.server.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

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
        LOG.info(() -> "CMTP serving domain(s) " + String.join(", ", domains));
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

    /** The administrator password given by the operator, if any. */
    public Optional<String> adminPassword() {
        return ConfigProvider.getConfig().getOptionalValue("cmtp.admin-password", String.class)
                .filter(p -> !p.isBlank());
    }
}
