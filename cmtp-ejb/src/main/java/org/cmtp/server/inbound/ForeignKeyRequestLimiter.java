package org.cmtp.server.inbound;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Logger;

import org.cmtp.protocol.DomainNames;
import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.ClientNetwork;
import org.cmtp.server.config.CmtpConfiguration;

/**
 * {@code cmtp.foreign-key-rate}: a key request for another domain's account costs this
 * server a DNS lookup, a connection to that domain's server and, on first contact, a
 * pin row in the database; anyone may send one, for any made-up domain. So one client
 * address gets only so many per minute; keys of this server's own domains, and its own
 * key, are not counted. An IPv6 client is counted per /64, the block one subscriber
 * usually gets whole. Per instance: several instances each count on their own.
 */
@ApplicationScoped
public class ForeignKeyRequestLimiter {

    private static final Logger LOG = Logger.getLogger(ForeignKeyRequestLimiter.class.getName());

    @Inject
    private CmtpConfiguration configuration;

    private Predicate<String> isLocalDomain;
    private PerClientRate rate;

    /** For CDI; the settings come from {@link CmtpConfiguration}. */
    public ForeignKeyRequestLimiter() {
    }

    /** A limiter of {@code perMinute} requests (0: no limit) that knows the local domains by {@code isLocalDomain}. */
    ForeignKeyRequestLimiter(int perMinute, Predicate<String> isLocalDomain, LongSupplier clock) {
        this.isLocalDomain = isLocalDomain;
        this.rate = new PerClientRate(perMinute, "cmtp.foreign-key-rate", LOG, clock);
    }

    @PostConstruct
    void create() {
        isLocalDomain = configuration::isLocalDomain;
        rate = new PerClientRate(configuration.foreignKeyRate(), "cmtp.foreign-key-rate", LOG, System::currentTimeMillis);
    }

    /**
     * @param domain the domain asked about, as sent (empty for this server's own)
     * @return false if {@code client} asked for too many other domains' keys in the last minute
     */
    public boolean allows(String domain, ClientInfo client) {
        return isLocalDomain.test(domain)
                || rate.allows(client, () -> "key request for an account of " + DomainNames.canonical(domain));
    }

    /** The address counted for a client: an IPv4 address itself, an IPv6 address's /64 ({@link ClientNetwork}). */
    static String clientKey(InetAddress address) {
        return ClientNetwork.of(address);
    }
}
