package org.cmtp.server.inbound;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.cmtp.ra.api.ClientInfo;
import org.junit.jupiter.api.Test;

/** Guessing account names through key requests is slowed for outsiders, never for trusted clients. */
class AccountLookupLimiterTest {

    private static ClientInfo client(String address) throws Exception {
        InetAddress remote = InetAddress.getByName(address);
        return new ClientInfo(remote, 40000, InetAddress.getLoopbackAddress(), 9001);
    }

    @Test
    void anOutsiderGetsThreeLookupsAMinuteOfLocalAccountsOnly() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        AccountLookupLimiter limiter = new AccountLookupLimiter(3, d -> d.isEmpty() || d.equals("here.test"),
                c -> c.remoteAddress().isLoopbackAddress(), now::get);
        ClientInfo outsider = client("192.0.2.7");
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.allows("here.test", outsider));
        }
        assertFalse(limiter.allows("here.test", outsider), "the fourth in a minute");
        assertFalse(limiter.allows("", outsider), "the empty domain is ours too");
        assertTrue(limiter.allows("elsewhere.test", outsider), "other domains have their own limit");
        assertFalse(limiter.allows("here.test", client("2001:db8:1:2::99")) && limiter.allows("here.test", client("2001:db8:1:2::98"))
                && limiter.allows("here.test", client("2001:db8:1:2::97")) && limiter.allows("here.test", client("2001:db8:1:2::96")),
                "one IPv6 /64 is one client");
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.allows("here.test", client("127.0.0.1")), "trusted clients are not counted");
        }
        now.addAndGet(60_001);
        assertTrue(limiter.allows("here.test", outsider), "a minute later");
    }
}
