package org.cmtp.server.federation;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;

/**
 * Public keys of accounts, here and elsewhere. Local keys come from the database;
 * another domain's keys are asked of that domain's server, whose signature is checked
 * with its pinned key, and kept for {@code cmtp.key-cache-ttl}.
 */
@ApplicationScoped
public class KeyDirectory {

    private static final Logger LOG = Logger.getLogger(KeyDirectory.class.getName());

    private record CachedKey(byte[] key, Instant expires) {
    }

    @EJB
    private AccountService accounts;
    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private RemoteServers remote;

    private final Map<String, CachedKey> relayed = new ConcurrentHashMap<>();

    /** The key of {@code account@domain}, or empty when there is none to be had (the reason is logged). */
    public Optional<byte[]> publicKey(String account, String domain) {
        if (configuration.isLocalDomain(domain)) {
            return accounts.findReadOnly(account).filter(Account::isEnabled).map(Account::getPublicKey);
        }
        String address = account + "@" + domain.toLowerCase(Locale.ROOT);
        CachedKey cached = relayed.get(address);
        if (cached != null && Instant.now().isBefore(cached.expires())) {
            return Optional.of(cached.key().clone());
        }
        try {
            Optional<byte[]> key = remote.talkTo(domain, (client, serverKey) -> client.keyRequest(account, domain, serverKey));
            key.ifPresent(k -> relayed.put(address, new CachedKey(k.clone(), Instant.now().plus(cacheTime()))));
            return key;
        } catch (RemoteDomainException | ServerKeyChangedException e) {
            LOG.warning(() -> "CMTP key of " + address + " not available: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Forgets cached keys of a domain, e.g. when its pin is forgotten. */
    public void forget(String domain) {
        String suffix = "@" + domain.toLowerCase(Locale.ROOT);
        relayed.keySet().removeIf(address -> address.endsWith(suffix));
    }

    private Duration cacheTime() {
        return Duration.ofSeconds(configuration.keyCacheSeconds());
    }
}
