package org.cmtp.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Predicate;

import org.cmtp.server.config.RelayNetworks;
import org.junit.jupiter.api.Test;

/** Which MX addresses the relay dials. Pure decisions: no test here opens a socket. */
class DialPolicyTest {

    private static final Predicate<InetSocketAddress> NOT_US = target -> false;
    private static final DialPolicy DEFAULT = new DialPolicy(RelayNetworks.parse(""), NOT_US);

    @Test
    void publicAddressesAreDialled() throws Exception {
        assertEquals(Optional.empty(), DEFAULT.refusal(target("192.0.2.7"), false));
        assertEquals(Optional.empty(), DEFAULT.refusal(target("8.8.8.8"), false));
        assertEquals(Optional.empty(), DEFAULT.refusal(target("2001:db8::25"), false));
        assertEquals(Optional.empty(), DEFAULT.refusal(target("100.128.0.1"), false), "just above 100.64.0.0/10");
        assertEquals(Optional.empty(), DEFAULT.refusal(target("172.32.0.1"), false), "just above 172.16.0.0/12");
    }

    @Test
    void anMxPointingInsideIsNotDialled() throws Exception {
        String[][] cases = {
            {"127.0.0.1", "loopback"}, {"127.8.9.10", "loopback"}, {"::1", "loopback"},
            {"10.1.2.3", "private"}, {"172.16.0.1", "private"}, {"192.168.1.1", "private"},
            {"169.254.169.254", "link-local"}, {"fe80::1", "link-local"},
            {"fc00::1", "unique local"}, {"fd12:3456::1", "unique local"},
            {"224.0.0.1", "multicast"}, {"ff02::1", "multicast"},
            {"0.0.0.0", "unspecified"}, {"::", "unspecified"}, {"0.1.2.3", "this network"},
            {"100.64.0.1", "carrier-grade NAT"}, {"100.127.255.254", "carrier-grade NAT"},
            {"255.255.255.255", "broadcast"}, {"240.0.0.1", "reserved"},
            {"::ffff:127.0.0.1", "loopback"}, {"::ffff:169.254.169.254", "link-local"}, {"::10.0.0.1", "private"},
        };
        for (String[] c : cases) {
            Optional<String> refusal = DEFAULT.refusal(target(c[0]), false);
            assertTrue(refusal.isPresent(), c[0] + " must not be dialled");
            assertTrue(refusal.get().contains(c[1]), c[0] + ": " + refusal.get());
            assertTrue(refusal.get().contains("cmtp.dial-networks"), "names the setting: " + refusal.get());
        }
    }

    @Test
    void cmtpDialNetworksOpensOnlyTheNetworksItLists() throws Exception {
        DialPolicy policy = new DialPolicy(RelayNetworks.parse("127.0.0.52/32, 10.0.0.0/8"), NOT_US);
        assertEquals(Optional.empty(), policy.refusal(target("127.0.0.52"), false));
        assertEquals(Optional.empty(), policy.refusal(target("10.200.0.1"), false));
        assertTrue(policy.refusal(target("127.0.0.59"), false).isPresent(), "another loopback address");
        assertTrue(policy.refusal(target("169.254.169.254"), false).isPresent());
    }

    @Test
    void aStaticRouteIsTheOperatorsWordAndIsDialled() throws Exception {
        assertEquals(Optional.empty(), DEFAULT.refusal(target("127.0.0.1"), true));
        assertEquals(Optional.empty(), DEFAULT.refusal(target("10.0.0.25"), true));
    }

    @Test
    void ourOwnListenerIsNeverDialledNotEvenByARoute() throws Exception {
        InetAddress bind = InetAddress.getByName("127.0.0.51");
        DialPolicy policy = new DialPolicy(RelayNetworks.parse("127.0.0.0/8"), DialPolicy.listener(bind, 9001));
        Optional<String> refusal = policy.refusal(target("127.0.0.51"), true);
        assertTrue(refusal.isPresent() && refusal.get().contains("own CMTP listener"), String.valueOf(refusal));
        assertEquals(Optional.empty(), policy.refusal(new InetSocketAddress(bind, 9002), false), "another port");
        assertEquals(Optional.empty(), policy.refusal(target("127.0.0.52"), false), "another address");
    }

    @Test
    void withTheWildcardBindEveryAddressOfThisHostOnOurPortIsUs() throws Exception {
        Predicate<InetSocketAddress> us = DialPolicy.listener(InetAddress.getByName("0.0.0.0"), 9001);
        assertTrue(us.test(target("127.0.0.1")));
        assertTrue(us.test(target("127.0.0.57")));
        assertTrue(us.test(target("0.0.0.0")));
        assertFalse(us.test(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9002)));
        assertFalse(us.test(target("192.0.2.7")), "TEST-NET-1 is no address of this host");
    }

    private static InetSocketAddress target(String address) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), 9001);
    }
}
