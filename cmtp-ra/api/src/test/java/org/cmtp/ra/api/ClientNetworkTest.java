package org.cmtp.ra.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ClientNetworkTest {

    @Test
    void anIpv4AddressCountsAlone() throws Exception {
        assertEquals("192.0.2.7", ClientNetwork.of(InetAddress.getByName("192.0.2.7")));
        assertNotEquals(ClientNetwork.of("192.0.2.7"), ClientNetwork.of("192.0.2.8"));
        assertEquals("192.0.2.7", ClientNetwork.of("::ffff:192.0.2.7"), "an IPv4-mapped address is the IPv4 address");
    }

    @Test
    void everyAddressOfOneIpv6Slash64CountsAsOne() throws Exception {
        String key = ClientNetwork.of(InetAddress.getByName("2001:db8:1:2::1"));
        assertEquals("2001:db8:1:2::/64", key);
        assertEquals(key, ClientNetwork.of(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assertEquals(key, ClientNetwork.of("2001:db8:1:2:dead:beef:0:7"));
        assertEquals(key, ClientNetwork.of("[2001:DB8:1:2::99]"), "bracketed and upper case, as containers may report it");
        assertEquals(key, ClientNetwork.of("2001:db8:1:2::5%eth0"), "the zone is not part of the network");
        assertNotEquals(key, ClientNetwork.of("2001:db8:1:3::1"), "the next /64 is another client");
    }

    @Test
    void prefixesWithZerosAreWrittenOneWay() {
        assertEquals("::/64", ClientNetwork.of("::1"));
        assertEquals("::/64", ClientNetwork.of("0:0:0:0:0:0:0:1"), "the servlet container's spelling of ::1");
        assertEquals("fe80::/64", ClientNetwork.of("fe80::1"));
        assertEquals("2001:0:0:5::/64", ClientNetwork.of("2001::5:0:0:0:1"));
    }

    @Test
    void aTextThatIsNoAddressIsNeverLookedUp() {
        assertEquals("client.example", ClientNetwork.of("client.example"), "returned as it is, no DNS query");
        assertEquals("", ClientNetwork.of(""));
    }
}
