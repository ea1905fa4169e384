package org.cmtp.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AdminLoginGuardTest {

    private static final long NOW = 1_000_000_000L;

    @Test
    void parallelWrongPasswordsAreAllCounted() throws Exception {
        int threads = 32;
        int perThread = 50;
        AdminLoginGuard guard = new AdminLoginGuard(100_000, 60_000);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        assertEquals(0, guard.admit("192.0.2.7", NOW));
                        guard.failed("192.0.2.7", NOW);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, guard.failures("192.0.2.7"), "no failure lost");
    }

    /**
     * Many requests at once, each a slow password check: only as many are checked as the
     * address has attempts left; the others are refused before any check.
     */
    @Test
    void aBurstOfParallelAttemptsGetsOnlyTheAllowedNumberOfChecks() throws Exception {
        int allowed = 5;
        int requests = 40;
        AdminLoginGuard guard = new AdminLoginGuard(allowed, 60_000);
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch allAsked = new CountDownLatch(requests);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < requests; r++) {
                done.add(pool.submit(() -> {
                    long wait = guard.admit("192.0.2.7", NOW);
                    allAsked.countDown();
                    if (wait > 0) {
                        refused.incrementAndGet();
                        return null;
                    }
                    checked.incrementAndGet();
                    allAsked.await(); // a slow check: every other request arrives meanwhile
                    guard.failed("192.0.2.7", NOW);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(allowed, checked.get(), "only the attempts left were checked");
        assertEquals(requests - allowed, refused.get());
        assertEquals(allowed, guard.failures("192.0.2.7"));
        assertTrue(guard.lockedFor("192.0.2.7", NOW) > 0, "and now the address is locked out");
        assertTrue(guard.admit("192.0.2.7", NOW + 1) > 0);
    }

    @Test
    void theLockoutDoublesAndASuccessClearsTheCount() {
        AdminLoginGuard guard = new AdminLoginGuard(3, 60_000);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, guard.admit("c", NOW));
            guard.failed("c", NOW);
        }
        assertEquals(60_000, guard.lockedFor("c", NOW));
        assertEquals(60_000, guard.admit("c", NOW), "locked: the wait, and nothing admitted");
        long later = NOW + 60_000;
        assertEquals(0, guard.admit("c", later), "after the lockout one attempt at a time");
        assertEquals(1000, guard.admit("c", later), "a second one at the same time waits");
        guard.failed("c", later);
        assertEquals(120_000, guard.lockedFor("c", later), "the next lockout is twice as long");

        long muchLater = later + 120_000;
        assertEquals(0, guard.admit("c", muchLater));
        guard.succeeded("c");
        assertEquals(0, guard.failures("c"));
        assertEquals(0, guard.lockedFor("c", muchLater));
    }

    @Test
    void anAbandonedCheckGivesItsAttemptBack() {
        AdminLoginGuard guard = new AdminLoginGuard(1, 60_000);
        assertEquals(0, guard.admit("c", NOW));
        assertEquals(1000, guard.admit("c", NOW), "the one attempt is being checked");
        guard.abandoned("c");
        assertEquals(0, guard.admit("c", NOW), "the error gave it back, uncounted");
        guard.failed("c", NOW);
        assertTrue(guard.lockedFor("c", NOW) > 0);
    }

    @Test
    void zeroFailuresAllowedMeansNeverLockedOut() {
        AdminLoginGuard guard = new AdminLoginGuard(0, 60_000);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, guard.admit("c", NOW));
            guard.failed("c", NOW);
        }
        assertEquals(0, guard.lockedFor("c", NOW));
    }
}
