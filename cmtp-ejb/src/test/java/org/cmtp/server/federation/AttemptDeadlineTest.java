package org.cmtp.server.federation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptDeadlineTest {

    private final ScheduledExecutorService alarm = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        alarm.shutdownNow();
    }

    @Test
    void aGuardedSocketIsClosedWhenTheDeadlinePasses() throws Exception {
        try (AttemptDeadline deadline = new AttemptDeadline(Duration.ofMillis(200), alarm)) {
            Socket socket = deadline.guard(new Socket());
            assertFalse(deadline.passed());
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!socket.isClosed() && System.nanoTime() < giveUp) {
                Thread.onSpinWait();
            }
            assertTrue(socket.isClosed(), "closed by the deadline");
            assertTrue(deadline.passed());
            assertTrue(deadline.remaining().toMillis() >= 1, "never 0, which would mean no timeout");
        }
    }

    @Test
    void aRestartGivesTheWholeDeadlineAgain() throws Exception {
        try (AttemptDeadline deadline = new AttemptDeadline(Duration.ofHours(1), alarm)) {
            Socket socket = deadline.guard(new Socket());
            deadline.restart();
            assertTrue(deadline.remaining().compareTo(Duration.ofMinutes(59)) > 0);
            assertFalse(socket.isClosed());
        }
    }
}
