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

    private final Duration length;
    private final ScheduledExecutorService alarm;
    private final List<Socket> guarded = new ArrayList<>();
    private final List<ScheduledFuture<?>> closings = new ArrayList<>();
    private Instant end;

    AttemptDeadline(Duration length, ScheduledExecutorService alarm) {
        this.length = length;
        this.end = Instant.now().plus(length);
        this.alarm = alarm;
    }

    Duration length() {
        return length;
    }

    synchronized boolean passed() {
        return !Instant.now().isBefore(end);
    }

    /** What is left, at least 1 ms (for timeouts, where 0 would mean "forever"). */
    synchronized Duration remaining() {
        Duration left = Duration.between(Instant.now(), end);
        return left.toMillis() < 1 ? Duration.ofMillis(1) : left;
    }

    /** Closes {@code socket} when the deadline passes (at once if it has). */
    synchronized Socket guard(Socket socket) {
        guarded.add(socket);
        schedule(socket);
        return socket;
    }

    /**
     * Starts the deadline afresh, for the next message of a delivery: each message has the
     * whole deadline, so a batch of large ones is not cut short by the ones before it. A
     * hanging server still holds the attempt for one deadline at most: it never gets to the
     * next message.
     */
    synchronized void restart() {
        cancelClosings();
        end = Instant.now().plus(length);
        guarded.forEach(this::schedule);
    }

    /** The attempt is over: nothing is closed any more. */
    @Override
    public synchronized void close() {
        cancelClosings();
        guarded.clear();
    }

    private void schedule(Socket socket) {
        closings.add(alarm.schedule(() -> closeQuietly(socket), remaining().toNanos(), TimeUnit.NANOSECONDS));
    }

    private void cancelClosings() {
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
