package org.cmtp.server.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keys relayed from other domains, kept for a while so that a busy correspondent does not
 * cost a connection per request. Bounded: anyone may ask for keys of made-up addresses,
 * so at most {@code maxEntries} are kept and the least recently used one goes first.
 * Entries are {@code account@domain} with the domain in canonical form
 * ({@link org.cmtp.protocol.DomainNames#canonical}). Thread-safe.
 */
public final class RelayedKeyCache {

    private record Entry(byte[] key, Instant expires) {
    }

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries;

    /**
     * @param maxEntries at most this many keys ({@code cmtp.key-cache-size}); 0 keeps none
     * @param ttl how long a key is used before it is asked again ({@code cmtp.key-cache-ttl})
     */
    public RelayedKeyCache(int maxEntries, Duration ttl, Clock clock) {
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) { // access order: least recently used first
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > RelayedKeyCache.this.maxEntries;
            }
        };
    }

    /** @param domain canonical */
    public synchronized Optional<byte[]> get(String account, String domain) {
        String address = address(account, domain);
        Entry entry = entries.get(address);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(address);
            return Optional.empty();
        }
        return Optional.of(entry.key().clone());
    }

    /** @param domain canonical */
    public synchronized void put(String account, String domain, byte[] key) {
        if (maxEntries > 0) {
            entries.put(address(account, domain), new Entry(key.clone(), clock.instant().plus(ttl)));
        }
    }

    /** Forgets every key of {@code domain} (canonical), e.g. when its pin is forgotten. */
    public synchronized void forget(String domain) {
        String suffix = "@" + domain;
        entries.keySet().removeIf(address -> address.endsWith(suffix));
    }

    public synchronized int size() {
        return entries.size();
    }

    private static String address(String account, String domain) {
        return account + "@" + domain;
    }
}
