package org.cmtp.server.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.cmtp.protocol.DomainNames;
import org.cmtp.ra.api.ClientInfo;
import org.junit.jupiter.api.Test;

class ForeignKeyRequestLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ForeignKeyRequestLimiter limiter = new ForeignKeyRequestLimiter(3,
            domain -> domain.isEmpty() || DomainNames.canonical(domain).equals("ours.test"), now::get);

    @Test
    void aClientGetsSoManyForeignKeysPerMinute() throws Exception {
        ClientInfo client = client("192.0.2.7");
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.allows("d" + i + ".elsewhere.test", client));
        }
        assertFalse(limiter.allows("d3.elsewhere.test", client));
        assertTrue(limiter.allows("d3.elsewhere.test", client("192.0.2.8")), "another client counts on its own");
        now.addAndGet(60_000);
        assertTrue(limiter.allows("d3.elsewhere.test", client), "a minute later");
    }

    @Test
    void keysOfOurOwnDomainsAreNotCountedInAnySpelling() throws Exception {
        ClientInfo client = client("192.0.2.7");
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.allows(i % 2 == 0 ? "ours.test" : "OURS.test.", client));
            assertTrue(limiter.allows("", client));
        }
        assertTrue(limiter.allows("elsewhere.test", client));
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertTrue(limiter.allows("elsewhere.test", client("2001:db8:0:1::" + i)));
        }
        assertFalse(limiter.allows("elsewhere.test", client("2001:db8:0:1:ffff:ffff:ffff:ffff")), "same /64");
        assertTrue(limiter.allows("elsewhere.test", client("2001:db8:0:2::1")), "the next /64");
        assertEquals("2001:db8:0:1::/64", ForeignKeyRequestLimiter.clientKey(InetAddress.getByName("2001:db8:0:1::9")));
        assertEquals("192.0.2.7", ForeignKeyRequestLimiter.clientKey(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        ForeignKeyRequestLimiter unlimited = new ForeignKeyRequestLimiter(0, String::isEmpty, now::get);
        for (int i = 0; i < 1000; i++) {
            assertTrue(unlimited.allows("elsewhere.test", client("192.0.2.7")));
        }
    }

    private static ClientInfo client(String address) throws Exception {
        return new ClientInfo(InetAddress.getByName(address), 40000, InetAddress.getByName("127.0.0.1"), 9001);
    }
}
