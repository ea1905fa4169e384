package org.cmtp.server.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The server's Prometheus metrics: this instance's counts since it started (Payara serves
 * them at {@code /metrics}, WildFly from its management interface), registered with the
 * runtime's metrics library ({@link MeterRegistrar}): MicroProfile Metrics on Payara,
 * Micrometer on WildFly (which dropped MicroProfile Metrics; the EAR carries its API so
 * that this class loads there). Where there is neither, nothing is registered and every
 * count here is a no-op; {@code GET /api/stats} counts all the same ({@link HourlyTraffic}).
 *
 * <p>A singleton started with the application, so that every meter is in {@code /metrics}
 * before the first message (a dashboard shows zeros, not "no data"). The meters are
 * thread-safe themselves and set once at start: any number of callers at once
 * ({@link LockType#READ}). Outside the callers' transactions, so that a meter that fails
 * cannot roll back the message it counts.
 */
@Singleton
@Startup
@Lock(LockType.READ)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ServerMeters {

    private static final Logger LOG = Logger.getLogger(ServerMeters.class.getName());

    @Inject
    private Instance<MetricRegistry> registries;
    @Inject
    private BeanManager beans;
    @Inject
    private ServerLoad load;

    /** Where the meters are registered; null where the runtime has no metrics library. Kept: it holds the gauges. */
    private MeterRegistrar meters;
    private final Map<MessageEvent, LongConsumer> counters = new EnumMap<>(MessageEvent.class);
    private LongConsumer overQuota = messages -> { };
    private LongConsumer retentionDeleted = messages -> { };
    private Consumer<Duration> mailTimer = duration -> { };
    private Consumer<Duration> relayTimer = duration -> { };

    /** For the container; outside one (RelayWorkerDeliveryTest) as in a runtime without metrics: none registered. */
    public ServerMeters() {
    }

    /** Outside a container (ServerMetersTest): registered with {@code meters}, the gauges reading {@code load}. */
    ServerMeters(MeterRegistrar meters, ServerLoad load) {
        this.load = load;
        register(meters);
    }

    /**
     * Registers the meters as the application starts. A runtime whose metrics library fails
     * here gets no metrics, not a server that does not start: mail does not wait for meters.
     */
    @PostConstruct
    void start() {
        try {
            Optional<MeterRegistrar> registrar = registrar();
            if (registrar.isEmpty()) {
                LOG.info("Neither MicroProfile Metrics nor Micrometer is available in this runtime: no Prometheus"
                        + " metrics; GET /api/stats still counts");
                return;
            }
            register(registrar.get());
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "CMTP metrics could not be registered; mail is handled and GET /api/stats"
                    + " counts all the same", e);
        }
    }

    private void register(MeterRegistrar registrar) {
        meters = registrar;
        for (MessageEvent event : MessageEvent.values()) {
            counters.put(event, meters.counter(event.metricName(), event.description()));
        }
        overQuota = meters.counter("cmtp.messages.over.quota",
                "messages refused (DELIVERYFAILURE) because the mailbox was at its quota");
        retentionDeleted = meters.counter("cmtp.messages.expired",
                "messages deleted by the retention sweep (cmtp.retention-days)");
        mailTimer = meters.timer("cmtp.mail.handling", "time to handle one MAIL command, from parsed to answered");
        relayTimer = meters.timer("cmtp.relay.attempt",
                "time of one attempt to deliver a queued message to another domain");
        meters.gauge("cmtp.queue.depth", "messages waiting in the relay queue", load::queueDepth);
        meters.gauge("cmtp.connections.open", "CMTP connections open now", load::openConnections);
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
            Class.forName(MicrometerMeters.REGISTRY_CLASS, false, ServerMeters.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        Optional<MeterRegistrar> micrometer = MicrometerMeters.of(beans);
        micrometer.ifPresent(found -> LOG.info("CMTP metrics registered with Micrometer"));
        return micrometer;
    }

    /** One message event on its counter; {@link TrafficRecorder} also counts it by the hour. */
    public void count(MessageEvent event) {
        LongConsumer counter = counters.get(event);
        if (counter != null) {
            counter.accept(1);
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
}
