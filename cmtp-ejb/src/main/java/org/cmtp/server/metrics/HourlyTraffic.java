package org.cmtp.server.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The domain's message counts per hour, behind {@code GET /api/stats}: every instance adds
 * its counts to the database table ({@link TrafficHours}) in batches ({@link #flush()},
 * every few seconds by {@link TrafficFlush}), so they survive restarts and add up across
 * instances. What this instance counted and has not written yet is part of every answer.
 * Hours are whole hours since the epoch (UTC), from {@code clock}.
 */
@ApplicationScoped
public class HourlyTraffic {

    private static final Logger LOG = Logger.getLogger(HourlyTraffic.class.getName());
    /** The hours {@link #lastDay()} answers: this one and the 23 before it. */
    static final int HOURS = 24;

    @Inject
    private TrafficHours table;
    private Clock clock = Clock.systemUTC();

    /** Counts not yet added to the table, per hour and event; see {@link #flush()}. */
    private final ConcurrentHashMap<HourEvent, Long> unflushed = new ConcurrentHashMap<>();
    /** Held to write {@link #unflushed} to the table, and to read both together. */
    private final ReentrantReadWriteLock flushing = new ReentrantReadWriteLock();

    /** One hour's count of one event; {@code hour} counts hours since the epoch. */
    private record HourEvent(long hour, MessageEvent event) {
    }

    /** Counts of one hour; {@code start} is the hour's first instant. */
    public record Hour(Instant start, Map<MessageEvent, Long> counts) {
    }

    /** For the container, which injects the table. */
    public HourlyTraffic() {
    }

    /** Outside a container (HourlyTrafficTest): counts written to {@code table}, hours told by {@code clock}. */
    public HourlyTraffic(TrafficHours table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** One message event, in the current hour; in the table after the next {@link #flush()}. */
    public void count(MessageEvent event) {
        unflushed.merge(new HourEvent(currentHour(), event), 1L, Long::sum);
    }

    /**
     * Adds the counts of this instance not yet in the database to it, each hour and event in
     * one update of its own. A count that cannot be written (database down, or another
     * instance created the row at the same moment) is kept for the next flush: none is lost
     * while the instance runs.
     */
    public void flush() {
        flushing.writeLock().lock(); // readers see each count once: in the table or in unflushed
        try {
            for (HourEvent key : unflushed.keySet()) {
                Long messages = unflushed.get(key);
                if (messages == null || messages == 0) {
                    continue;
                }
                try {
                    table.add(key.hour(), key.event().word(), messages);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "message counts kept for the next flush", e);
                    continue;
                }
                // counts made while this one was written stay for the next flush
                unflushed.compute(key, (k, now) -> now == null || now - messages == 0 ? null : now - messages);
            }
        } finally {
            flushing.writeLock().unlock();
        }
    }

    /**
     * The last {@value #HOURS} hours (the current one last), each with the domain's counts
     * (every instance's, and this instance's not yet written), zero where nothing happened.
     */
    public List<Hour> lastDay() {
        long now = currentHour();
        long first = now - HOURS + 1;
        Map<Long, Map<MessageEvent, Long>> byHour = new HashMap<>();
        for (long hour = first; hour <= now; hour++) {
            byHour.put(hour, zeros());
        }
        flushing.readLock().lock();
        try {
            for (Object[] row : table.since(first)) {
                add(byHour.get(((Number) row[0]).longValue()), MessageEvent.ofWord((String) row[1]),
                        ((Number) row[2]).longValue());
            }
            unflushed.forEach((key, messages) -> add(byHour.get(key.hour()), key.event(), messages));
        } finally {
            flushing.readLock().unlock();
        }
        List<Hour> hours = new ArrayList<>(HOURS);
        for (long hour = first; hour <= now; hour++) {
            hours.add(new Hour(startOf(hour), byHour.get(hour)));
        }
        return hours;
    }

    /**
     * The start of the first hour counted (the current one before any message): since when
     * {@link #totals()} counts.
     */
    public Instant since() {
        flushing.readLock().lock(); // as lastDay() and totals(): not between a flush's write and its removal
        try {
            Long first = table.firstEpochHour();
            long hour = unflushed.keySet().stream().mapToLong(HourEvent::hour).min().orElse(currentHour());
            return startOf(first == null ? hour : Math.min(first, hour));
        } finally {
            flushing.readLock().unlock();
        }
    }

    /** The domain's counts since {@link #since()}, every event present (zero where none). */
    public Map<MessageEvent, Long> totals() {
        Map<MessageEvent, Long> totals = zeros();
        flushing.readLock().lock();
        try {
            for (Object[] row : table.totals()) {
                add(totals, MessageEvent.ofWord((String) row[0]), ((Number) row[1]).longValue());
            }
            unflushed.forEach((key, messages) -> add(totals, key.event(), messages));
        } finally {
            flushing.readLock().unlock();
        }
        return totals;
    }

    private static Map<MessageEvent, Long> zeros() {
        Map<MessageEvent, Long> counts = new EnumMap<>(MessageEvent.class);
        for (MessageEvent event : MessageEvent.values()) {
            counts.put(event, 0L);
        }
        return counts;
    }

    /** Adds to {@code counts}; not for an hour outside the window (null), nor an unknown event (a newer instance's). */
    private static void add(Map<MessageEvent, Long> counts, MessageEvent event, long messages) {
        if (counts != null && event != null) {
            counts.merge(event, messages, Long::sum);
        }
    }

    private static Instant startOf(long epochHour) {
        return Instant.EPOCH.plus(epochHour, ChronoUnit.HOURS);
    }

    private long currentHour() {
        return Math.floorDiv(clock.instant().getEpochSecond(), 3600);
    }
}
