package org.cmtp.ra.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * What a per-client limit counts by: an IPv4 address as it is, an IPv6 address by its
 * /64 network. An IPv6 customer is normally given a whole /64 (often far more), so
 * counting single IPv6 addresses would give one attacker 2^64 fresh counters; a /64 is
 * the smallest block one party can be assumed to hold. Used by every limit per client
 * address (the CMTP LOGIN rate, the admin lockout) so that they all agree.
 */
public final class ClientNetwork {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ClientNetwork() {
    }

    /**
     * @return {@code "192.0.2.7"} for an IPv4 address (also when written as an IPv4-mapped
     *         IPv6 address), {@code "2001:db8:1:2::/64"} for any address in that IPv6 /64
     */
    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] network = address.getAddress(); // 16 bytes; the scope id (zone) is not part of them
        for (int i = 8; i < 16; i++) {
            network[i] = 0;
        }
        try {
            String prefix = InetAddress.getByAddress(network).getHostAddress(); // 2001:db8:1:2:0:0:0:0
            return compressTrailingZeros(prefix) + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e); // cannot happen
        }
    }

    /**
     * As {@link #of(InetAddress)} for an address literal as a servlet container reports it
     * ({@code request.getRemoteAddr()}: {@code 192.0.2.7}, {@code 0:0:0:0:0:0:0:1},
     * {@code [::1]}, {@code fe80::1%eth0}). Never asks DNS: a text that is not an IP
     * literal is returned unchanged, so it still counts as a client of its own.
     */
    public static String of(String addressLiteral) {
        String text = addressLiteral.trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        boolean literal = text.indexOf(':') >= 0 || IPV4_LITERAL.matcher(text).matches();
        if (!literal) {
            return addressLiteral;
        }
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        try {
            return of(InetAddress.getByName(text)); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return addressLiteral;
        }
    }

    /** {@code 2001:db8:1:2:0:0:0:0} → {@code 2001:db8:1:2::} (the host half is always zero here). */
    private static String compressTrailingZeros(String full) {
        String compressed = full.replaceFirst("(:0)+$", "::");
        return compressed.equals("0::") ? "::" : compressed;
    }
}
