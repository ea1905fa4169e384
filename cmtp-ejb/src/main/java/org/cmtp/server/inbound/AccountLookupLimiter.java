package org.cmtp.server.inbound;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Logger;

import org.cmtp.ra.api.ClientInfo;
import org.cmtp.server.config.CmtpConfiguration;

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

    private Predicate<String> isLocalDomain;
    private Predicate<ClientInfo> isTrusted;
    private PerClientRate rate;

    /** For CDI; the settings come from {@link CmtpConfiguration}. */
    public AccountLookupLimiter() {
    }

    AccountLookupLimiter(int perMinute, Predicate<String> isLocalDomain, Predicate<ClientInfo> isTrusted,
                         LongSupplier clock) {
        this.isLocalDomain = isLocalDomain;
        this.isTrusted = isTrusted;
        this.rate = new PerClientRate(perMinute, "cmtp.local-key-rate", LOG, clock);
    }

    @PostConstruct
    void create() {
        isLocalDomain = configuration::isLocalDomain;
        isTrusted = client -> configuration.relayNetworks().allows(client.remoteAddress());
        rate = new PerClientRate(configuration.localKeyRate(), "cmtp.local-key-rate", LOG, System::currentTimeMillis);
    }

    /** @return false if {@code client} asked about too many of this server's accounts in the last minute */
    public boolean allows(String domain, ClientInfo client) {
        return !isLocalDomain.test(domain) || isTrusted.test(client)
                || rate.allows(client, () -> "key request for a local account");
    }
}
