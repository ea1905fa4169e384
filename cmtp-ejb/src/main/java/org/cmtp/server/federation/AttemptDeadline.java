package org.cmtp.server.federation;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The overall deadline of one attempt to reach another domain ({@code cmtp.delivery-deadline}).
 * Read timeouts alone do not bound an attempt: a server may trickle its replies a byte
 * every few seconds, or never read what is sent to it (a zero TCP window blocks the write
 * forever). So every socket of the attempt is closed when the deadline passes, which makes
 * whatever waits on it fail at once.
 */
final class AttemptDeadline implements AutoCloseable {

    private final Instant end;
    private final Duration length;
    private final ScheduledExecutorService alarm;
    private final List<ScheduledFuture<?>> closings = new ArrayList<>();

    AttemptDeadline(Duration length, ScheduledExecutorService alarm) {
        this.length = length;
        this.end = Instant.now().plus(length);
        this.alarm = alarm;
    }

    Duration length() {
        return length;
    }

    boolean passed() {
        return !Instant.now().isBefore(end);
    }

    /** What is left, at least 1 ms (for timeouts, where 0 would mean "forever"). */
    Duration remaining() {
        Duration left = Duration.between(Instant.now(), end);
        return left.toMillis() < 1 ? Duration.ofMillis(1) : left;
    }

    /** Closes {@code socket} when the deadline passes (at once if it has). */
    synchronized Socket guard(Socket socket) {
        closings.add(alarm.schedule(() -> closeQuietly(socket), remaining().toMillis(), TimeUnit.MILLISECONDS));
        return socket;
    }

    /** The attempt is over: nothing is closed any more. */
    @Override
    public synchronized void close() {
        closings.forEach(closing -> closing.cancel(false));
        closings.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed anyway
        }
    }
}
