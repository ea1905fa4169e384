package org.cmtp.server.federation;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

import org.cmtp.server.config.RelayNetworks;

/**
 * Which addresses the relay may connect to (PROTOCOL.md §7). MX records are written by
 * whoever owns a domain, so without this anyone could make this server connect to
 * itself (a relay loop that eats every connection slot), to services on its loopback
 * interface or in its private network, or to a cloud metadata address (SSRF).
 *
 * <p>Never dialled: this server's own listener (always, it can only be a loop). Dialled
 * only when a static route ({@code cmtp.routes}) names the domain or {@code cmtp.dial-networks}
 * lists the network: loopback, private (RFC 1918), link-local (incl. 169.254.169.254),
 * unique-local (fc00::/7), multicast, unspecified, carrier-grade NAT (100.64.0.0/10),
 * "this network" (0.0.0.0/8), reserved and broadcast (240.0.0.0/4) addresses, and IPv6
 * addresses that carry one of these IPv4 addresses (IPv4-mapped, IPv4-compatible).
 * No socket is opened to decide.
 */
public final class DialPolicy {

    public static final String DIAL_NETWORKS = "cmtp.dial-networks (CMTP_DIAL_NETWORKS)";

    private final RelayNetworks dialNetworks;
    private final Predicate<InetSocketAddress> ownListener;

    /**
     * @param dialNetworks networks that may be dialled although they are not public
     * @param ownListener whether an address is where this server itself listens
     */
    public DialPolicy(RelayNetworks dialNetworks, Predicate<InetSocketAddress> ownListener) {
        this.dialNetworks = dialNetworks;
        this.ownListener = ownListener;
    }

    /**
     * @param staticRoute whether the target comes from a {@code cmtp.routes} entry, which the
     *     operator wrote, rather than from the DNS, which anyone may write
     * @return empty if {@code target} may be dialled, else why not (for the log and the queue)
     */
    public Optional<String> refusal(InetSocketAddress target, boolean staticRoute) {
        InetAddress address = target.getAddress();
        if (address == null) {
            return Optional.of(target.getHostString() + " has no address");
        }
        if (ownListener.test(target)) {
            return Optional.of(describe(target) + " is this server's own CMTP listener (a relay loop)");
        }
        if (staticRoute) {
            return Optional.empty();
        }
        Optional<String> range = nonPublicRange(address);
        if (range.isEmpty() || dialNetworks.allows(address)) {
            return Optional.empty();
        }
        return Optional.of(describe(target) + " is " + range.get() + " and not in " + DIAL_NETWORKS
                + " (" + dialNetworks + ")");
    }

    /** @return the kind of non-public address {@code address} is, or empty for a public one */
    public static Optional<String> nonPublicRange(InetAddress address) {
        if (address instanceof Inet6Address && !address.isAnyLocalAddress() && !address.isLoopbackAddress()) {
            Optional<InetAddress> embedded = embeddedIpv4(address.getAddress());
            if (embedded.isPresent()) {
                return nonPublicRange(embedded.get()).map(kind -> kind + " inside an IPv6 address");
            }
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("a private address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xFF;
            int second = bytes[1] & 0xFF;
            if (first == 0) {
                return Optional.of("a \"this network\" address (0.0.0.0/8)");
            }
            if (first == 100 && (second & 0xC0) == 64) {
                return Optional.of("a carrier-grade NAT address (100.64.0.0/10)");
            }
            if (first >= 240) {
                return Optional.of("a reserved or broadcast address (240.0.0.0/4)");
            }
        } else if ((bytes[0] & 0xFE) == 0xFC) {
            return Optional.of("a unique local address (fc00::/7)");
        }
        return Optional.empty();
    }

    /** The IPv4 address in an IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d) IPv6 address. */
    private static Optional<InetAddress> embeddedIpv4(byte[] bytes) {
        boolean zeros = Arrays.equals(bytes, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeros && bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
        boolean compatible = zeros && bytes[10] == 0 && bytes[11] == 0;
        if (!mapped && !compatible) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an IPv4 address
        }
    }

    /**
     * Where this server listens for CMTP: {@code bind}:{@code port}, and with the wildcard
     * bind address, {@code port} on every address of this host.
     */
    public static Predicate<InetSocketAddress> listener(InetAddress bind, int port) {
        return target -> target.getPort() == port && target.getAddress() != null
                && (bind.isAnyLocalAddress() ? isOfThisHost(target.getAddress()) : bind.equals(target.getAddress()));
    }

    private static boolean isOfThisHost(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static String describe(InetSocketAddress target) {
        String host = target.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + target.getPort();
    }
}
