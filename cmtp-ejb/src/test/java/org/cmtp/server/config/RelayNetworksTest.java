package org.cmtp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class RelayNetworksTest {

    @Test
    void theDefaultIsLoopbackOnly() throws Exception {
        RelayNetworks loopback = RelayNetworks.parse(RelayNetworks.LOOPBACK);
        assertTrue(loopback.allows(InetAddress.getByName("127.0.0.1")));
        assertTrue(loopback.allows(InetAddress.getByName("127.255.0.9")));
        assertTrue(loopback.allows(InetAddress.getByName("::1")));
        assertFalse(loopback.allows(InetAddress.getByName("192.0.2.7")));
        assertFalse(loopback.allows(InetAddress.getByName("128.0.0.1")));
        assertFalse(loopback.allows(InetAddress.getByName("::2")));
    }

    @Test
    void prefixesAndSingleHostsAreMatchedBitwise() throws Exception {
        RelayNetworks networks = RelayNetworks.parse("192.0.2.0/25, 198.51.100.7, 2001:db8::/32");
        assertTrue(networks.allows(InetAddress.getByName("192.0.2.127")));
        assertFalse(networks.allows(InetAddress.getByName("192.0.2.128")));
        assertTrue(networks.allows(InetAddress.getByName("198.51.100.7")));
        assertFalse(networks.allows(InetAddress.getByName("198.51.100.8")));
        assertTrue(networks.allows(InetAddress.getByName("2001:db8:1::5")));
        assertFalse(networks.allows(InetAddress.getByName("2001:db9::5")));
    }

    @Test
    void emptyMeansNobodyAndNonsenseIsRefusedNamingTheSetting() throws Exception {
        assertFalse(RelayNetworks.parse("").allows(InetAddress.getByName("127.0.0.1")));
        assertEquals("nobody", RelayNetworks.parse(" ").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayNetworks.parse("10.0.0.0/33"));
        assertTrue(e.getMessage().contains("CMTP_RELAY_NETWORKS") && e.getMessage().contains("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> RelayNetworks.parse("example.org"));
    }
}
