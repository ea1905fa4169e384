package org.cmtp.server.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void firstRetryAfterOneMinuteDoublingUpToAnHour() {
        Backoff backoff = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1));
        assertEquals(Duration.ofMinutes(1), backoff.after(1));
        assertEquals(Duration.ofMinutes(2), backoff.after(2));
        assertEquals(Duration.ofMinutes(32), backoff.after(6));
        assertEquals(Duration.ofHours(1), backoff.after(7));
        assertEquals(Duration.ofHours(1), backoff.after(10_000), "no overflow after many attempts");
    }
}
