package org.cmtp.server.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client networks allowed to relay mail to other domains through this server
 * ({@code cmtp.relay-networks}, CIDR list). Anyone else may only send to this server's
 * own domains: never an open relay. The same kind of list names the networks the relay
 * may dial although they are not public ({@code cmtp.dial-networks}).
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
        return parse(list, "cmtp.relay-networks (CMTP_RELAY_NETWORKS)");
    }

    /** As {@link #parse(String)}, for the setting named {@code setting} in error messages. */
    public static RelayNetworks parse(String list, String setting) {
        List<Network> parsed = new ArrayList<>();
        for (String entry : list.split(",")) {
            String text = entry.trim();
            if (!text.isEmpty()) {
                parsed.add(network(text, setting));
            }
        }
        return new RelayNetworks(parsed);
    }

    private static Network network(String text, String setting) {
        String[] parts = text.split("/", 2);
        if (!parts[0].matches("[0-9a-fA-F.:]+")) {
            throw invalid(setting, text, "not an IP address");
        }
        try {
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            if (bits < 0 || bits > address.length * 8) {
                throw invalid(setting, text, "prefix length out of range");
            }
            return new Network(address, bits, text);
        } catch (UnknownHostException | NumberFormatException e) {
            throw invalid(setting, text, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String setting, String text, String why) {
        return new IllegalArgumentException(setting + ": '" + text + "' is not a network: " + why);
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
