package org.cmtp.server.relay;

import java.time.Duration;

/** Exponential backoff between delivery attempts: initial, doubling, capped (PROTOCOL.md §7). */
public record Backoff(Duration initial, Duration max) {

    /** The wait after the {@code attempts}-th failed attempt (1 = the first). */
    public Duration after(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 40);
        Duration wait = initial.multipliedBy(1L << Math.min(doublings, 30));
        return wait.compareTo(max) > 0 || wait.isNegative() ? max : wait;
    }
}
