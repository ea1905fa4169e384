package org.cmtp.ra.inbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The connections one client holds open on a listener ({@code cmtp.max-connections-per-client}),
 * so that one address cannot take every connection slot. A client is an IPv4 address, or
 * an IPv6 /64 network: one IPv6 host is usually given a whole /64 and can pick any address
 * in it, so counting single IPv6 addresses would not limit anybody.
 */
final class ConnectionsPerClient {

    /** What {@link #tryOpen} decided; a refused client is logged once while it stays at its limit. */
    enum Admission { OPENED, REFUSED_FIRST, REFUSED_AGAIN }

    private final int limit;
    private final Map<String, Integer> open = new HashMap<>();
    /** Clients refused since they last went under their limit: the refusals after the first are not worth a warning. */
    private final Set<String> refused = new HashSet<>();

    /** @param limit connections per client; 0 means no limit */
    ConnectionsPerClient(int limit) {
        this.limit = limit;
    }

    /** Counts one more connection of {@code client} unless it already holds the limit. */
    synchronized Admission tryOpen(String client) {
        int held = open.getOrDefault(client, 0);
        if (limit > 0 && held >= limit) {
            return refused.add(client) ? Admission.REFUSED_FIRST : Admission.REFUSED_AGAIN;
        }
        open.put(client, held + 1);
        return Admission.OPENED;
    }

    /** One connection of {@code client} ended. */
    synchronized void closed(String client) {
        Integer held = open.get(client);
        if (held == null) {
            return;
        }
        if (held <= 1) {
            open.remove(client);
        } else {
            open.put(client, held - 1);
        }
        refused.remove(client);
    }

    synchronized int held(String client) {
        return open.getOrDefault(client, 0);
    }

    int limit() {
        return limit;
    }

    /** The client an address counts as: the IPv4 address itself, or the IPv6 /64 it lies in. */
    static String clientOf(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        StringBuilder network = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return network.append(":/64").toString();
    }
}
