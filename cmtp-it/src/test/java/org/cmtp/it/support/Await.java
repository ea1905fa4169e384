package org.cmtp.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polling for what a server does in the background (relay rounds, restarts). */
public final class Await {

    private Await() {
    }

    /** Waits until {@code condition} holds, checking twice a second; fails after {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        fail("timed out waiting for " + what);
    }
}
