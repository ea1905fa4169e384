package org.cmtp.server.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlidingWindowLimiterTest {

    @Test
    void allowsTheLimitPerWindowAndKey() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(3, 60_000);
        assertTrue(limiter.tryAcquire("a", 0));
        assertTrue(limiter.tryAcquire("a", 10_000));
        assertTrue(limiter.tryAcquire("a", 20_000));
        assertFalse(limiter.tryAcquire("a", 30_000), "a fourth within the minute");
        assertTrue(limiter.tryAcquire("b", 30_000), "another key has its own count");
        assertFalse(limiter.tryAcquire("a", 59_999));
        assertTrue(limiter.tryAcquire("a", 60_000), "the first event left the window");
        assertFalse(limiter.tryAcquire("a", 60_001), "a refused event was not counted, the others still are");
    }

    @Test
    void zeroMeansNoLimit() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(0, 60_000);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.tryAcquire("a", i));
        }
    }
}
