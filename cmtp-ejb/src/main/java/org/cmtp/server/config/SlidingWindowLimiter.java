package org.cmtp.server.config;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} events per key in any window of {@code windowMillis}: the times of
 * the last events are kept per key, so the limit holds exactly, not per calendar minute.
 * Keys quiet for a whole window are forgotten once many keys are known.
 */
public final class SlidingWindowLimiter {

    private static final int SWEEP_ABOVE = 10_000;

    private final int limit;
    private final long windowMillis;
    private final Map<String, ArrayDeque<Long>> events = new ConcurrentHashMap<>();

    /** @param limit events allowed per window; 0 or less for no limit */
    public SlidingWindowLimiter(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** Records an event for {@code key} if it is within the limit; false (nothing recorded) if over it. */
    public boolean tryAcquire(String key, long nowMillis) {
        if (limit <= 0) {
            return true;
        }
        if (events.size() > SWEEP_ABOVE) {
            sweep(nowMillis);
        }
        ArrayDeque<Long> times = events.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= nowMillis - windowMillis) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                return false;
            }
            times.addLast(nowMillis);
            return true;
        }
    }

    private void sweep(long nowMillis) {
        events.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                Long last = entry.getValue().peekLast();
                return last == null || last <= nowMillis - windowMillis;
            }
        });
    }
}
