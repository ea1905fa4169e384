package org.cmtp.server.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.server.relay.RelayQueue;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.cmtp.ra.api.CmtpPorts;

/**
 * The server's metrics (this instance's since it started, in Prometheus form: Payara serves
 * them at {@code /metrics}, WildFly from its management interface) and the hourly counts
 * behind {@code GET /api/stats}, which are the domain's: every instance adds its counts to
 * the database table {@code CMTP_TRAFFIC_HOUR} (see {@link TrafficFlush}), so they survive
 * restarts and add up across instances. The latest message events ({@link #recent()}) are
 * this instance's, in memory.
 *
 * <p>The meters go to the runtime's metrics library ({@link MeterRegistrar}): MicroProfile
 * Metrics on Payara, Micrometer on WildFly (which dropped MicroProfile Metrics; the EAR
 * carries its API so that this class loads there). Where there is neither, nothing is
 * registered, but the counts behind {@code GET /api/stats} are kept all the same.
 */
@ApplicationScoped
public class ServerMetrics {

    private static final Logger LOG = Logger.getLogger(ServerMetrics.class.getName());
    private static final int HOURS = 24;
    /** How many of the latest message events {@link #recent()} keeps. */
    static final int RECENT = 50;

    /** What happens to a message; each is a counter {@code cmtp.messages.<name>}. */
    public enum Event {
        /** A MAIL command answered (whatever the answer). */
        RECEIVED("MAIL commands handled, whatever the answer"),
        /** Stored in a local mailbox. */
        STORED("messages stored in a local mailbox"),
        /** Queued for another domain. */
        QUEUED("messages queued for relay to another domain"),
        /** Delivered to another domain's server by the relay worker. */
        RELAYED("messages delivered to another domain by the relay worker"),
        /** Answered FAILURE (could not be stored or queued), or given up by the relay worker. */
        FAILED("messages answered FAILURE, or given up by the relay worker"),
        /** Answered DELIVERYFAILURE: no such (enabled) account, or relaying not allowed. */
        REJECTED("messages answered DELIVERYFAILURE");

        final String description;

        Event(String description) {
            this.description = description;
        }

        public String metricName() {
            return "cmtp.messages." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Inject
    private Instance<MetricRegistry> registries;
    @Inject
    private BeanManager beans;
    @EJB
    private RelayQueue queue;

    @EJB
    private TrafficHours traffic;

    /** Where the meters are registered; null where the runtime has no metrics library. Kept: it holds the gauges. */
    private MeterRegistrar meters;
    private final Map<Event, LongConsumer> counters = new EnumMap<>(Event.class);
    private LongConsumer overQuota = messages -> { };
    private LongConsumer retentionDeleted = messages -> { };
    private Consumer<Duration> mailTimer = duration -> { };
    private Consumer<Duration> relayTimer = duration -> { };

    /** Counts not yet added to the database, per hour and event; see {@link #flush()}. */
    private final ConcurrentHashMap<HourEvent, Long> unflushed = new ConcurrentHashMap<>();
    /** Held to write {@link #unflushed} to the table, and to read both together. */
    private final ReentrantReadWriteLock flushing = new ReentrantReadWriteLock();
    /** The latest message events, newest first; guarded by itself. */
    private final java.util.ArrayDeque<Recent> recent = new java.util.ArrayDeque<>(RECENT);

    /** One hour's count of one event; {@code hour} counts hours since the epoch. */
    private record HourEvent(long hour, Event event) {
    }

    @PostConstruct
    void register() {
        Optional<MeterRegistrar> registrar = registrar();
        if (registrar.isEmpty()) {
            LOG.info("Neither MicroProfile Metrics nor Micrometer is available in this runtime: no Prometheus"
                    + " metrics; GET /api/stats still counts");
            return;
        }
        meters = registrar.get();
        for (Event event : Event.values()) {
            counters.put(event, meters.counter(event.metricName(), event.description));
        }
        overQuota = meters.counter("cmtp.messages.over.quota",
                "messages refused (DELIVERYFAILURE) because the mailbox was at its quota");
        retentionDeleted = meters.counter("cmtp.messages.expired",
                "messages deleted by the retention sweep (cmtp.retention-days)");
        mailTimer = meters.timer("cmtp.mail.handling", "time to handle one MAIL command, from parsed to answered");
        relayTimer = meters.timer("cmtp.relay.attempt",
                "time of one attempt to deliver a queued message to another domain");
        meters.gauge("cmtp.queue.depth", "messages waiting in the relay queue", this::queueDepth);
        meters.gauge("cmtp.connections.open", "CMTP connections open now", this::openConnections);
    }

    /**
     * MicroProfile Metrics where the runtime has it (Payara), else Micrometer where the
     * runtime hands out a registry (WildFly's micrometer subsystem). Micrometer's classes are
     * looked for by name first: {@link MicrometerMeters} must not be linked where they are
     * missing.
     */
    private Optional<MeterRegistrar> registrar() {
        if (registries.isResolvable()) {
            LOG.fine("metrics registered with MicroProfile Metrics");
            return Optional.of(new MicroProfileMeters(registries.get()));
        }
        try {
            Class.forName(MicrometerMeters.REGISTRY_CLASS, false, ServerMetrics.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        Optional<MeterRegistrar> micrometer = MicrometerMeters.of(beans);
        micrometer.ifPresent(found -> LOG.info("CMTP metrics registered with Micrometer"));
        return micrometer;
    }

    public void count(Event event) {
        LongConsumer counter = counters.get(event);
        if (counter != null) {
            counter.accept(1);
        }
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
                    traffic.add(key.hour(), name(key.event()), messages);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "message counts kept for the next flush", e);
                    continue;
                }
                unflushed.compute(key, (k, now) -> now == null || now - messages == 0 ? null : now - messages);
            }
        } finally {
            flushing.writeLock().unlock();
        }
    }

    /**
     * One message event with who it was from and for: counted as {@link #count(Event)}, and
     * kept among the {@link #recent()} ones so that an operator sees which messages went
     * where (the web console's dashboard). {@code detail} says why, for failures; may be null.
     */
    public void count(Event event, String sender, String recipient, String detail) {
        count(event);
        Recent entry = new Recent(Instant.now(), event, sender, recipient, detail);
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeLast();
            }
            recent.addFirst(entry);
        }
    }

    /** A message event: when, what, the sender and recipient addresses, and why (null unless known). */
    public record Recent(Instant time, Event event, String sender, String recipient, String detail) {
    }

    /** The latest message events of this instance ({@value #RECENT} at most), newest first. */
    public List<Recent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** A message refused because its mailbox is full (also counted as REJECTED). */
    public void countOverQuota() {
        overQuota.accept(1);
    }

    /** Messages deleted by the retention sweep. */
    public void countExpired(long messages) {
        retentionDeleted.accept(messages);
    }

    public void timeMail(Duration duration) {
        mailTimer.accept(duration);
    }

    public void timeRelayAttempt(Duration duration) {
        relayTimer.accept(duration);
    }

    public long queueDepth() {
        try {
            return queue.depth();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "queue depth unavailable", e);
            return -1;
        }
    }

    public long openConnections() {
        return CmtpPorts.openConnections();
    }

    /** Counts of one hour; {@code start} is the hour's first instant. */
    public record Hour(Instant start, Map<Event, Long> counts) {
    }

    /**
     * The last 24 hours (the current one last), each with the domain's counts (every
     * instance's, and this instance's not yet written), zero where nothing happened.
     */
    public List<Hour> lastDay() {
        long now = currentHour();
        Map<Long, Map<Event, Long>> byHour = new java.util.HashMap<>();
        for (long hour = now - HOURS + 1; hour <= now; hour++) {
            Map<Event, Long> counts = new EnumMap<>(Event.class);
            for (Event event : Event.values()) {
                counts.put(event, 0L);
            }
            byHour.put(hour, counts);
        }
        flushing.readLock().lock();
        try {
            for (Object[] row : traffic.since(now - HOURS + 1)) {
                add(byHour.get(((Number) row[0]).longValue()), event((String) row[1]), ((Number) row[2]).longValue());
            }
            unflushed.forEach((key, messages) -> add(byHour.get(key.hour()), key.event(), messages));
        } finally {
            flushing.readLock().unlock();
        }
        List<Hour> hours = new ArrayList<>(HOURS);
        for (long hour = now - HOURS + 1; hour <= now; hour++) {
            hours.add(new Hour(Instant.EPOCH.plus(hour, ChronoUnit.HOURS), byHour.get(hour)));
        }
        return hours;
    }

    private static void add(Map<Event, Long> counts, Event event, long messages) {
        if (counts != null && event != null) {
            counts.merge(event, messages, Long::sum);
        }
    }

    /** The start of the first hour counted: since when {@link #totals()} counts. */
    public Instant since() {
        Long first = traffic.firstEpochHour();
        long hour = unflushed.keySet().stream().mapToLong(HourEvent::hour).min().orElse(currentHour());
        return Instant.EPOCH.plus(first == null ? hour : Math.min(first, hour), ChronoUnit.HOURS);
    }

    /** The domain's counts since {@link #since()}. */
    public Map<Event, Long> totals() {
        Map<Event, Long> totals = new EnumMap<>(Event.class);
        for (Event event : Event.values()) {
            totals.put(event, 0L);
        }
        flushing.readLock().lock();
        try {
            for (Object[] row : traffic.totals()) {
                add(totals, event((String) row[0]), ((Number) row[1]).longValue());
            }
            unflushed.forEach((key, messages) -> add(totals, key.event(), messages));
        } finally {
            flushing.readLock().unlock();
        }
        return totals;
    }

    private static String name(Event event) {
        return event.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The event a row names, or null for one this version does not know (a newer instance's). */
    private static Event event(String name) {
        try {
            return Event.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long currentHour() {
        return Instant.now().getEpochSecond() / 3600;
    }
}
