package org.cmtp.server.inbound;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Logger;

import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.ClientNetwork;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.config.SlidingWindowLimiter;

/**
 * {@code cmtp.local-key-rate}: a key request for an account of this server answers whether
 * the account exists, so a client could list the accounts by asking for guessed names. One
 * client address (IPv6: one /64) outside {@code cmtp.relay-networks} gets only so many per
 * minute; the trusted clients (this server's own applications, the senders it relays for)
 * are not counted. Per instance. Foreign domains have their own limit
 * ({@link ForeignKeyRequestLimiter}); LOGIN has {@code cmtp.login-rate}.
 */
@ApplicationScoped
public class AccountLookupLimiter {

    private static final Logger LOG = Logger.getLogger(AccountLookupLimiter.class.getName());

    @Inject
    private CmtpConfiguration configuration;

    private int perMinute;
    private Predicate<String> isLocalDomain;
    private Predicate<ClientInfo> isTrusted;
    private LongSupplier clock;
    private SlidingWindowLimiter limiter;
    /** One log line per client and minute. */
    private final SlidingWindowLimiter logged = new SlidingWindowLimiter(1, 60_000);

    /** For CDI; the settings come from {@link CmtpConfiguration}. */
    public AccountLookupLimiter() {
    }

    AccountLookupLimiter(int perMinute, Predicate<String> isLocalDomain, Predicate<ClientInfo> isTrusted,
                         LongSupplier clock) {
        this.perMinute = perMinute;
        this.isLocalDomain = isLocalDomain;
        this.isTrusted = isTrusted;
        this.clock = clock;
        this.limiter = new SlidingWindowLimiter(perMinute, 60_000);
    }

    @PostConstruct
    void create() {
        perMinute = configuration.localKeyRate();
        isLocalDomain = configuration::isLocalDomain;
        isTrusted = client -> configuration.relayNetworks().allows(client.remoteAddress());
        clock = System::currentTimeMillis;
        limiter = new SlidingWindowLimiter(perMinute, 60_000);
    }

    /** @return false if {@code client} asked about too many of this server's accounts in the last minute */
    public boolean allows(String domain, ClientInfo client) {
        if (!isLocalDomain.test(domain) || isTrusted.test(client)) {
            return true;
        }
        String key = ClientNetwork.of(client.remoteAddress());
        long now = clock.getAsLong();
        if (limiter.tryAcquire(key, now)) {
            return true;
        }
        if (logged.tryAcquire(key, now)) {
            LOG.info(() -> "CMTP key request for a local account refused for " + client.remoteHost()
                    + ": more than cmtp.local-key-rate (" + perMinute + ") per minute from " + key
                    + " (logged once a minute per client)");
        }
        return false;
    }
}
