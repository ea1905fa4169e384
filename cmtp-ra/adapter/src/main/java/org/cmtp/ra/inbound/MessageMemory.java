package org.cmtp.ra.inbound;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The heap one listener may spend on messages still arriving, shared by all its
 * connections ({@code cmtp.mail-memory}). A connection reserves room before it reads the
 * next bytes of a MAIL and gives it all back once the MAIL is answered or the connection
 * ends; when the budget is spent, the reading waits, so TCP slows the senders down
 * instead of the heap filling up. Without it, the worst case would be every connection
 * sending a message of the maximum size at once: 200 × 25 MiB with the defaults.
 *
 * <p>Room goes to the oldest waiting MAIL first (by when it began), so that what is
 * given back lets the message closest to done finish. Room is taken piece by piece, so
 * MAILs that all begin at once can together fill the budget with none of them complete
 * and each waiting for more: nothing would ever be given back until their message
 * timeouts cut them all off. When every MAIL holding room is waiting like that, the
 * youngest of them gives way ({@link Outcome#GAVE_WAY}: its connection is closed and
 * its room given back), again until the oldest can go on; a sender whose MAIL gave way
 * sends it again later, as after any cut-off connection.
 */
final class MessageMemory {

    private static final long KIB = 1024;

    enum Outcome { RESERVED, TIMED_OUT, GAVE_WAY }

    private final long capacityBytes;
    private long availableBytes;
    /** Room held per MAIL (keyed by its session), and when each MAIL holding or wanting room began. */
    private final Map<Object, Long> held = new HashMap<>();
    private final Map<Object, Long> began = new HashMap<>();
    /** The MAILs waiting for room, and how much each wants. */
    private final Map<Object, Long> waiting = new HashMap<>();

    MessageMemory(long capacityBytes) {
        this.capacityBytes = capacityBytes;
        this.availableBytes = capacityBytes / KIB * KIB;
    }

    /** Rounds up to whole KiB, the unit of reservation. */
    static long roundUp(long bytes) {
        return (bytes + KIB - 1) / KIB * KIB;
    }

    /**
     * Reserves {@code bytes} more for {@code mail} (which began at {@code beganNanos},
     * {@link System#nanoTime()}), waiting at most {@code timeoutMillis}.
     */
    synchronized Outcome reserve(Object mail, long beganNanos, long bytes, long timeoutMillis) throws InterruptedException {
        if (bytes <= 0) {
            return Outcome.RESERVED;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        began.putIfAbsent(mail, beganNanos);
        waiting.put(mail, bytes);
        notifyAll(); // one more waiter: the others look again whether all are stuck
        try {
            while (true) {
                if (bytes <= availableBytes && mail == oldestWaiting()) {
                    availableBytes -= bytes;
                    held.merge(mail, bytes, Long::sum);
                    return Outcome.RESERVED;
                }
                if (stuck() && mail == youngestWaitingHolder()) {
                    return Outcome.GAVE_WAY;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Outcome.TIMED_OUT;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } finally {
            waiting.remove(mail);
            if (!held.containsKey(mail)) {
                began.remove(mail);
            }
            notifyAll();
        }
    }

    /** Gives back everything {@code mail} reserved. */
    synchronized void release(Object mail) {
        Long bytes = held.remove(mail);
        began.remove(mail);
        if (bytes != null) {
            availableBytes += bytes;
            notifyAll();
        }
    }

    /** Every MAIL holding room waits for more, and the oldest waiter cannot be served: nothing will be given back. */
    private boolean stuck() {
        Object oldest = oldestWaiting();
        return oldest != null && waiting.get(oldest) > availableBytes && waiting.keySet().containsAll(held.keySet());
    }

    private Object oldestWaiting() {
        Object oldest = null;
        for (Object mail : waiting.keySet()) {
            if (oldest == null || began.get(mail) - began.get(oldest) < 0) {
                oldest = mail;
            }
        }
        return oldest;
    }

    /** The youngest waiting MAIL that holds room, never the oldest waiter (it is the one to finish). */
    private Object youngestWaitingHolder() {
        Object oldest = oldestWaiting();
        Object youngest = null;
        for (Object mail : waiting.keySet()) {
            if (mail != oldest && held.containsKey(mail)
                    && (youngest == null || began.get(mail) - began.get(youngest) > 0)) {
                youngest = mail;
            }
        }
        return youngest;
    }

    long capacityBytes() {
        return capacityBytes;
    }

    synchronized long availableBytes() {
        return availableBytes;
    }
}
