package org.cmtp.ra.inbound;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap one listener may spend on messages still arriving, shared by all its
 * connections ({@code cmtp.mail-memory}). A connection reserves room before it reads the
 * next bytes of a MAIL and gives it all back once the MAIL is answered or the connection
 * ends; when the budget is spent, the reading waits, so TCP slows the senders down
 * instead of the heap filling up. Without it, the worst case would be every connection
 * sending a message of the maximum size at once: 200 × 25 MiB with the defaults.
 *
 * <p>Permits are KiB, so a budget up to terabytes fits an {@code int}; the semaphore is
 * fair, so a connection that waits is served before later ones.
 */
final class MessageMemory {

    private static final long KIB = 1024;

    private final Semaphore kibibytes;
    private final long capacityBytes;

    MessageMemory(long capacityBytes) {
        this.capacityBytes = capacityBytes;
        this.kibibytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, capacityBytes / KIB), true);
    }

    /** Rounds up to whole KiB, the unit of reservation. */
    static long roundUp(long bytes) {
        return (bytes + KIB - 1) / KIB * KIB;
    }

    /**
     * Reserves {@code bytes} (a multiple of KiB), waiting at most {@code timeoutMillis}.
     *
     * @return false if the room did not come free in time
     */
    boolean reserve(long bytes, long timeoutMillis) throws InterruptedException {
        int permits = (int) (bytes / KIB);
        return permits == 0 || kibibytes.tryAcquire(permits, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Gives back {@code bytes} reserved before. */
    void release(long bytes) {
        int permits = (int) (bytes / KIB);
        if (permits > 0) {
            kibibytes.release(permits);
        }
    }

    long capacityBytes() {
        return capacityBytes;
    }

    long availableBytes() {
        return kibibytes.availablePermits() * KIB;
    }
}
