package org.cmtp.server.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.cmtp.server.testing.MovableClock;
import org.junit.jupiter.api.Test;

class RelayedKeyCacheTest {

    private static final byte[] KEY = new byte[32];
    private static final Instant NOON = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void aKeyIsReusedUntilItsTimeIsUp() {
        MovableClock clock = new MovableClock(NOON);
        RelayedKeyCache cache = new RelayedKeyCache(10, Duration.ofSeconds(60), clock);
        cache.put("bob", "example.org", KEY);
        assertArrayEquals(KEY, cache.get("bob", "example.org").orElseThrow());
        clock.advance(Duration.ofSeconds(60));
        assertTrue(cache.get("bob", "example.org").isEmpty(), "expired");
        assertEquals(0, cache.size(), "and dropped");
    }

    @Test
    void requestsForMadeUpAddressesCannotGrowItBeyondItsSize() {
        RelayedKeyCache cache = new RelayedKeyCache(100, Duration.ofHours(1), new MovableClock(NOON));
        cache.put("bob", "example.org", KEY);
        for (int i = 0; i < 10_000; i++) {
            cache.get("bob", "example.org"); // bob is used all the time: he stays
            cache.put("user" + i, "d" + i + ".attacker.test", KEY);
        }
        assertEquals(100, cache.size());
        assertTrue(cache.get("bob", "example.org").isPresent(), "the least recently used go first, not bob");
        assertTrue(cache.get("user0", "d0.attacker.test").isEmpty(), "the oldest made-up one was evicted");
        assertTrue(cache.get("user9999", "d9999.attacker.test").isPresent());
    }

    @Test
    void sizeZeroKeepsNothing() {
        RelayedKeyCache cache = new RelayedKeyCache(0, Duration.ofHours(1), new MovableClock(NOON));
        cache.put("bob", "example.org", KEY);
        assertTrue(cache.get("bob", "example.org").isEmpty());
    }

    @Test
    void forgettingADomainForgetsOnlyItsKeys() {
        RelayedKeyCache cache = new RelayedKeyCache(10, Duration.ofHours(1), new MovableClock(NOON));
        cache.put("bob", "example.org", KEY);
        cache.put("carol", "sub.example.org", KEY);
        cache.forget("example.org");
        assertTrue(cache.get("bob", "example.org").isEmpty());
        assertTrue(cache.get("carol", "sub.example.org").isPresent());
    }

    @Test
    void theCallerCannotChangeACachedKey() {
        RelayedKeyCache cache = new RelayedKeyCache(10, Duration.ofHours(1), new MovableClock(NOON));
        byte[] key = new byte[32];
        cache.put("bob", "example.org", key);
        key[0] = 1;
        cache.get("bob", "example.org").orElseThrow()[1] = 1;
        assertArrayEquals(new byte[32], cache.get("bob", "example.org").orElseThrow());
    }
}
