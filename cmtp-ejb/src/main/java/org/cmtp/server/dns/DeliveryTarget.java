package org.cmtp.server.dns;

import java.net.InetSocketAddress;

/**
 * One address to try when delivering to a domain: the MX host it belongs to, its address
 * and CMTP port, and its priority (the MX preference; lower is tried first).
 */
public record DeliveryTarget(String host, InetSocketAddress address, int priority) {
}
