package org.cmtp.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import org.cmtp.ra.api.CmtpPortMXBean;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The server's meters, on a real Micrometer registry (as WildFly hands out; Payara's
 * MicroProfile Metrics gets the same calls through {@link MeterRegistrar}): every one the
 * Grafana dashboard and the alerts query is there from the start, under its name, and counts
 * what it is told.
 */
class ServerMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServerMeters meters = new ServerMeters(new MicrometerMeters(registry), new ServerLoad());

    @Test
    void everyMeterIsRegisteredUnderItsNameBeforeTheFirstMessage() {
        Set<String> names = new TreeSet<>();
        for (Meter meter : registry.getMeters()) {
            names.add(meter.getId().getName());
        }
        assertEquals(new TreeSet<>(Set.of("cmtp.messages.received", "cmtp.messages.stored", "cmtp.messages.queued",
                "cmtp.messages.relayed", "cmtp.messages.failed", "cmtp.messages.rejected",
                "cmtp.messages.over.quota", "cmtp.messages.expired", "cmtp.mail.handling", "cmtp.relay.attempt",
                "cmtp.queue.depth", "cmtp.connections.open")), names);
    }

    @Test
    void eachCountGoesToItsOwnMeter() {
        meters.count(MessageEvent.STORED);
        meters.count(MessageEvent.STORED);
        meters.count(MessageEvent.REJECTED);
        meters.countOverQuota();
        meters.countExpired(5);
        meters.timeMail(Duration.ofMillis(250));
        meters.timeRelayAttempt(Duration.ofSeconds(2));
        meters.timeRelayAttempt(Duration.ofSeconds(3));

        assertEquals(2, registry.get("cmtp.messages.stored").counter().count());
        assertEquals(1, registry.get("cmtp.messages.rejected").counter().count());
        assertEquals(0, registry.get("cmtp.messages.received").counter().count(), "not counted by the others");
        assertEquals(1, registry.get("cmtp.messages.over.quota").counter().count());
        assertEquals(5, registry.get("cmtp.messages.expired").counter().count());
        assertEquals(1, registry.get("cmtp.mail.handling").timer().count());
        assertEquals(250, registry.get("cmtp.mail.handling").timer().totalTime(TimeUnit.MILLISECONDS));
        assertEquals(2, registry.get("cmtp.relay.attempt").timer().count());
        assertEquals(5, registry.get("cmtp.relay.attempt").timer().totalTime(TimeUnit.SECONDS));
    }

    @Test
    void theOpenConnectionsGaugeReadsTheAdaptersListenersAtEveryScrape() throws Exception {
        ObjectName name = new ObjectName(CmtpPortMXBean.TYPE + ",address=\"192.0.2.1:1\"");
        OpenPort port = new OpenPort();
        ManagementFactory.getPlatformMBeanServer().registerMBean(port, name);
        try {
            port.open = 3;
            assertEquals(3, registry.get("cmtp.connections.open").gauge().value());
            port.open = 1;
            assertEquals(1, registry.get("cmtp.connections.open").gauge().value(), "read now, not at registration");
        } finally {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        }
    }

    /** A listener as the adapter publishes it, with as many connections open as the test says. */
    public static final class OpenPort implements CmtpPortMXBean {

        volatile int open;

        @Override
        public String getAddress() {
            return "192.0.2.1:1";
        }

        @Override
        public int getOpenConnections() {
            return open;
        }

        @Override
        public String getAcceptProblem() {
            return "";
        }
    }
}
