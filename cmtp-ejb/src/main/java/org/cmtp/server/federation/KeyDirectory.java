package org.cmtp.server.federation;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import org.cmtp.protocol.DomainNames;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;

/**
 * Public keys of accounts, here and elsewhere. Local keys come from the database;
 * another domain's keys are asked of that domain's server, whose signature is checked
 * with its pinned key, and kept for {@code cmtp.key-cache-ttl} in a cache of at most
 * {@code cmtp.key-cache-size} keys. Domains are compared, cached and logged in canonical
 * form ({@link DomainNames#canonical}): {@code x@example.org.} is {@code x@example.org}.
 */
@ApplicationScoped
public class KeyDirectory {

    private static final Logger LOG = Logger.getLogger(KeyDirectory.class.getName());

    @EJB
    private AccountService accounts;
    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private RemoteServers remote;

    /** How old a relayed key in the cache is. */
    private Clock clock = Clock.systemUTC();
    private RelayedKeyCache relayed;

    /** For the container, which injects the collaborators. */
    public KeyDirectory() {
    }

    /**
     * Outside a container (KeyDirectoryTest): local keys from {@code accounts}, other domains'
     * through {@code remote}, the cache's time from {@code clock}.
     */
    KeyDirectory(AccountService accounts, CmtpConfiguration configuration, RemoteServers remote, Clock clock) {
        this.accounts = accounts;
        this.configuration = configuration;
        this.remote = remote;
        this.clock = clock;
        createCache();
    }

    @PostConstruct
    void createCache() {
        relayed = new RelayedKeyCache(configuration.keyCacheSize(), Duration.ofSeconds(configuration.keyCacheSeconds()),
                clock);
    }

    /** The key of {@code account@domain}, or empty when there is none to be had (the reason is logged). */
    public Optional<byte[]> publicKey(String account, String requestedDomain) {
        String domain = DomainNames.canonical(requestedDomain);
        if (configuration.isLocalDomain(domain)) {
            return accounts.findReadOnly(account).filter(Account::isEnabled).map(Account::getPublicKey);
        }
        String address = account + "@" + domain;
        Optional<byte[]> cached = relayed.get(account, domain);
        if (cached.isPresent()) {
            return cached;
        }
        try {
            Optional<byte[]> key = remote.talkTo(domain, (client, serverKey) -> client.keyRequest(account, domain, serverKey));
            key.ifPresent(k -> relayed.put(account, domain, k));
            return key;
        } catch (RemoteDomainException | ServerKeyChangedException e) {
            LOG.warning(() -> "CMTP key of " + address + " not available: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Forgets cached keys of a domain, e.g. when its pin is forgotten. */
    public void forget(String domain) {
        relayed.forget(DomainNames.canonical(domain));
    }
}
