package org.cmtp.server.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The latest message events of this instance, in memory, with who each message was from
 * and for: what the web console's dashboard shows an operator (via {@code GET /api/stats}),
 * so that one sees which messages went where. Only the last {@code capacity} are kept; a
 * restart starts empty.
 */
@ApplicationScoped
public class RecentEvents {

    /** How many events the server keeps. */
    static final int CAPACITY = 50;

    private final int capacity;
    private final Clock clock;
    /** Newest first; guarded by itself. */
    private final ArrayDeque<Entry> entries;

    /** A message event: when, what, the sender and recipient addresses, and why (null unless known). */
    public record Entry(Instant time, MessageEvent event, String sender, String recipient, String detail) {
    }

    /** For the container: the latest {@value #CAPACITY} events, stamped with the system clock. */
    public RecentEvents() {
        this(CAPACITY, Clock.systemUTC());
    }

    /** The latest {@code capacity} events, each stamped with the time of {@code clock} when added. */
    public RecentEvents(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < 1");
        }
        this.capacity = capacity;
        this.clock = clock;
        this.entries = new ArrayDeque<>(capacity);
    }

    /** Keeps an event as the newest, dropping the oldest when full; {@code detail} says why, for failures (or null). */
    public void add(MessageEvent event, String sender, String recipient, String detail) {
        Entry entry = new Entry(clock.instant(), event, sender, recipient, detail);
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeLast();
            }
            entries.addFirst(entry);
        }
    }

    /** The events kept, newest first: a copy, unchanged by later events. */
    public List<Entry> latest() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }
}
