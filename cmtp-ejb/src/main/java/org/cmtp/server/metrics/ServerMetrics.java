package org.cmtp.server.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.ra.inbound.CmtpListener;
import org.cmtp.server.relay.RelayQueue;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The server's MicroProfile metrics (served by Payara at {@code /metrics}, application
 * scope) and the hourly counts behind {@code GET /api/stats}. Counts live in memory: they
 * are this instance's since it started.
 *
 * <p>Where the runtime has no MicroProfile Metrics (WildFly 39 dropped it; the EAR carries
 * the API so that this class loads), nothing is registered and {@code /metrics} is not
 * served, but the counts behind {@code GET /api/stats} are kept all the same.
 */
@ApplicationScoped
public class ServerMetrics {

    private static final Logger LOG = Logger.getLogger(ServerMetrics.class.getName());
    private static final int HOURS = 24;

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
    @EJB
    private RelayQueue queue;

    private final Instant since = Instant.now();
    private final Map<Event, Counter> counters = new EnumMap<>(Event.class);
    private final Map<Event, Long> totals = new EnumMap<>(Event.class);
    private Timer mailTimer;
    private Timer relayTimer;

    /** Per event, a ring of 24 hourly counts; {@link #hourOfSlot} says which hour a slot holds. */
    private final Map<Event, AtomicLongArray> hourly = new EnumMap<>(Event.class);
    private final long[] hourOfSlot = new long[HOURS];

    @PostConstruct
    void register() {
        for (Event event : Event.values()) {
            hourly.put(event, new AtomicLongArray(HOURS));
            totals.put(event, 0L);
        }
        if (!registries.isResolvable()) {
            LOG.info("MicroProfile Metrics is not available in this runtime: no /metrics; GET /api/stats still counts");
            return;
        }
        MetricRegistry registry = registries.get();
        for (Event event : Event.values()) {
            counters.put(event, registry.counter(Metadata.builder().withName(event.metricName())
                    .withDescription(event.description).build()));
        }
        mailTimer = registry.timer(Metadata.builder().withName("cmtp.mail.handling")
                .withDescription("time to handle one MAIL command, from parsed to answered")
                .withUnit(MetricUnits.SECONDS).build());
        relayTimer = registry.timer(Metadata.builder().withName("cmtp.relay.attempt")
                .withDescription("time of one attempt to deliver a queued message to another domain")
                .withUnit(MetricUnits.SECONDS).build());
        registry.gauge(Metadata.builder().withName("cmtp.queue.depth")
                .withDescription("messages waiting in the relay queue").build(), this, ServerMetrics::queueDepth);
        registry.gauge(Metadata.builder().withName("cmtp.connections.open")
                .withDescription("CMTP connections open now").build(), this, ServerMetrics::openConnections);
    }

    public void count(Event event) {
        Counter counter = counters.get(event);
        if (counter != null) {
            counter.inc();
        }
        long hour = currentHour();
        int slot = (int) (hour % HOURS);
        synchronized (hourOfSlot) {
            if (hourOfSlot[slot] != hour) {
                hourOfSlot[slot] = hour;
                hourly.values().forEach(counts -> counts.set(slot, 0));
            }
            hourly.get(event).incrementAndGet(slot);
            totals.merge(event, 1L, Long::sum);
        }
    }

    public void timeMail(Duration duration) {
        if (mailTimer != null) {
            mailTimer.update(duration);
        }
    }

    public void timeRelayAttempt(Duration duration) {
        if (relayTimer != null) {
            relayTimer.update(duration);
        }
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
        return CmtpListener.openConnectionsOfAll();
    }

    /** Counts of one hour; {@code start} is the hour's first instant. */
    public record Hour(Instant start, Map<Event, Long> counts) {
    }

    /** The last 24 hours (the current one last), each with its counts, zero where nothing happened. */
    public List<Hour> lastDay() {
        long now = currentHour();
        List<Hour> hours = new ArrayList<>(HOURS);
        synchronized (hourOfSlot) {
            for (long hour = now - HOURS + 1; hour <= now; hour++) {
                int slot = (int) (hour % HOURS);
                Map<Event, Long> counts = new EnumMap<>(Event.class);
                for (Event event : Event.values()) {
                    counts.put(event, hourOfSlot[slot] == hour ? hourly.get(event).get(slot) : 0L);
                }
                hours.add(new Hour(Instant.EPOCH.plus(hour, ChronoUnit.HOURS), counts));
            }
        }
        return hours;
    }

    /** When this instance started counting. */
    public Instant since() {
        return since;
    }

    /** Counts since this instance started. */
    public Map<Event, Long> totals() {
        synchronized (hourOfSlot) {
            return new EnumMap<>(totals);
        }
    }

    private static long currentHour() {
        return Instant.now().getEpochSecond() / 3600;
    }
}
