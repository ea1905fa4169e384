package org.cmtp.mail;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the transport remembers about servers it has talked to without a pinned
 * {@code mail.cmtp.serverkey}: the key each presented first (trust on first use), and that
 * it answers with address-bound key replies (PROTOCOL.md §4a: once seen, required).
 *
 * <p>Kept in memory, per class loader: in a Java SE program for the life of the JVM, in a
 * container for the life of the application that carries this jar. A restart trusts the
 * first key it sees again; pin the key with {@code mail.cmtp.serverkey} where that matters
 * (README, "Sending from Jakarta Mail applications").
 */
final class KnownServers {

    private static final Map<String, byte[]> KEYS = new ConcurrentHashMap<>();
    private static final Set<String> KEY_BIND = ConcurrentHashMap.newKeySet();

    private KnownServers() {
    }

    /** @return the key trusted for {@code server} ({@code host:port}), or null before the first connection */
    static byte[] key(String server) {
        byte[] key = KEYS.get(server);
        return key == null ? null : key.clone();
    }

    /** Trusts {@code presented} unless a key is trusted already; returns the trusted key. */
    static byte[] trustOnFirstUse(String server, byte[] presented) {
        return KEYS.computeIfAbsent(server, s -> presented.clone()).clone();
    }

    static boolean keyBind(String server) {
        return KEY_BIND.contains(server);
    }

    static void rememberKeyBind(String server) {
        KEY_BIND.add(server);
    }
}
