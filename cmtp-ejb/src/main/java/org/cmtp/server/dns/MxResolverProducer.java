package org.cmtp.server.dns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.logging.Logger;

import org.cmtp.server.config.CmtpConfiguration;

/**
 * Makes the application's one {@link MxResolver} from the DNS settings of
 * {@link CmtpConfiguration}, so its cache is shared by everything that injects it.
 * {@code @Singleton} rather than a normal scope: {@code MxResolver} is final and needs no
 * client proxy.
 */
@ApplicationScoped
public class MxResolverProducer {

    private static final Logger LOG = Logger.getLogger(MxResolverProducer.class.getName());

    @Inject
    private CmtpConfiguration configuration;

    @Produces
    @Singleton
    MxResolver mxResolver() {
        DnsSettings settings = configuration.dnsSettings();
        LOG.info(() -> "CMTP DNS: servers " + (settings.servers().isEmpty() ? "of the system" : settings.servers())
                + ", " + settings.routes().size() + " static route(s), DNSSEC " + settings.dnssec()
                + ", timeout " + settings.timeout().toMillis() + " ms");
        return new MxResolver(settings);
    }
}
