package org.cmtp.it.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers a test starts, chosen per run: free now on every address (TCP and
 * UDP, checked by binding the wildcard address, which fails if any address holds the port),
 * and never handed out twice in one test JVM. So two test runs on one machine, or a test
 * run beside an operator's {@code ./cmtp-server}, do not collide, and a test may start
 * servers of one domain on one port on several loopback addresses.
 *
 * <p>Chosen at random from 27000–32767: below Linux's ephemeral range (32768–60999), from
 * which outgoing connections take their local ports, so none takes the port between the
 * choice and the server's bind; above the fixed ports of the application-server tests
 * (WildFlyServer's offset ports up to 26493, PayaraServer's 22000–22100) and of servers
 * people usually run.
 */
public final class FreePorts {

    private static final int FIRST = 27000;
    private static final int LAST = 32767;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port nothing uses now on this machine, for TCP and UDP. */
    public static int take() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 2000; attempt++) {
            int port = FIRST + random.nextInt(LAST - FIRST + 1);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + "–" + LAST + " after 2000 tries");
    }

    private static boolean isFree(int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(port));
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(port))) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
