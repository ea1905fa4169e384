package org.cmtp.server.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client networks allowed to relay mail to other domains through this server
 * ({@code cmtp.relay-networks}, CIDR list). Anyone else may only send to this server's
 * own domains: never an open relay.
 */
public final class RelayNetworks {

    public static final String LOOPBACK = "127.0.0.0/8,::1/128";

    private record Network(byte[] prefix, int bits, String text) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(address.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(bits).not();
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, prefix).and(mask));
        }
    }

    private final List<Network> networks;

    private RelayNetworks(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** Parses {@code 127.0.0.0/8, ::1/128, 192.0.2.7} (a bare address is a single host); empty = nobody. */
    public static RelayNetworks parse(String list) {
        List<Network> parsed = new ArrayList<>();
        for (String entry : list.split(",")) {
            String text = entry.trim();
            if (!text.isEmpty()) {
                parsed.add(network(text));
            }
        }
        return new RelayNetworks(parsed);
    }

    private static Network network(String text) {
        String[] parts = text.split("/", 2);
        if (!parts[0].matches("[0-9a-fA-F.:]+")) {
            throw invalid(text, "not an IP address");
        }
        try {
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            if (bits < 0 || bits > address.length * 8) {
                throw invalid(text, "prefix length out of range");
            }
            return new Network(address, bits, text);
        } catch (UnknownHostException | NumberFormatException e) {
            throw invalid(text, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("cmtp.relay-networks (CMTP_RELAY_NETWORKS): '" + text + "' is not a network: "
                + why);
    }

    public boolean allows(InetAddress client) {
        byte[] address = client.getAddress();
        return networks.stream().anyMatch(n -> n.contains(address));
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "nobody" : String.join(", ", networks.stream().map(Network::text).toList());
    }
}
