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
import org.cmtp.server.config.SlidingWindowLimiter;

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

    private int perMinute;
    private Predicate<String> isLocalDomain;
    private LongSupplier clock;
    private SlidingWindowLimiter limiter;
    /** One log line per client and minute: a flood of refused requests must not flood the log. */
    private final SlidingWindowLimiter logged = new SlidingWindowLimiter(1, 60_000);

    /** For CDI; the settings come from {@link CmtpConfiguration}. */
    public ForeignKeyRequestLimiter() {
    }

    /** A limiter of {@code perMinute} requests (0: no limit) that knows the local domains by {@code isLocalDomain}. */
    ForeignKeyRequestLimiter(int perMinute, Predicate<String> isLocalDomain, LongSupplier clock) {
        this.perMinute = perMinute;
        this.isLocalDomain = isLocalDomain;
        this.clock = clock;
        this.limiter = new SlidingWindowLimiter(perMinute, 60_000);
    }

    @PostConstruct
    void create() {
        perMinute = configuration.foreignKeyRate();
        isLocalDomain = configuration::isLocalDomain;
        clock = System::currentTimeMillis;
        limiter = new SlidingWindowLimiter(perMinute, 60_000);
    }

    /**
     * @param domain the domain asked about, as sent (empty for this server's own)
     * @return false if {@code client} asked for too many other domains' keys in the last minute
     */
    public boolean allows(String domain, ClientInfo client) {
        if (isLocalDomain.test(domain)) {
            return true;
        }
        String key = clientKey(client.remoteAddress());
        long now = clock.getAsLong();
        if (limiter.tryAcquire(key, now)) {
            return true;
        }
        if (logged.tryAcquire(key, now)) {
            LOG.info(() -> "CMTP key request for an account of " + DomainNames.canonical(domain) + " refused for "
                    + client.remoteHost() + ": more than cmtp.foreign-key-rate (" + perMinute + ") per minute from "
                    + key + " (logged once a minute per client)");
        }
        return false;
    }

    /** The address counted for a client: an IPv4 address itself, an IPv6 address's /64 ({@link ClientNetwork}). */
    static String clientKey(InetAddress address) {
        return ClientNetwork.of(address);
    }
}
