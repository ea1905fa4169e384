package org.cmtp.server.dns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes the application's one {@link MxResolver} from MicroProfile Config, so its cache is
 * shared by everything that injects it. {@code @Singleton} rather than a normal scope:
 * {@code MxResolver} is final and needs no client proxy.
 */
@ApplicationScoped
public class MxResolverProducer {

    private static final Logger LOG = Logger.getLogger(MxResolverProducer.class.getName());

    @Produces
    @Singleton
    MxResolver mxResolver() {
        Config config = ConfigProvider.getConfig();
        DnsSettings settings = DnsSettings.fromSettings(key -> config.getOptionalValue(key, String.class));
        LOG.info(() -> "CMTP DNS: servers " + (settings.servers().isEmpty() ? "of the system" : settings.servers())
                + ", " + settings.routes().size() + " static route(s), DNSSEC " + settings.dnssec()
                + ", timeout " + settings.timeout().toMillis() + " ms");
        return new MxResolver(settings);
    }
}
