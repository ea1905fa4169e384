package org.cmtp.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.cmtp.server.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * One message event said once reaches all three places that keep it: the Prometheus counter,
 * the hour's count and (with its addresses) the recent events; a count alone is not shown
 * among the recent ones. Real parts throughout: a Micrometer registry, the traffic table on
 * H2, the ring.
 */
class TrafficRecorderTest {

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecentEvents recent = new RecentEvents(10, clock);
    private TrafficDatabase database;
    private HourlyTraffic hours;
    private TrafficRecorder recorder;

    @BeforeEach
    void start() throws SQLException {
        database = new TrafficDatabase(dir);
        hours = database.traffic(clock);
        recorder = new TrafficRecorder(new ServerMeters(new MicrometerMeters(registry), new ServerLoad()), hours, recent);
    }

    @AfterEach
    void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aRecordedEventIsCountedByTheMeterAndTheHourAndShown() {
        recorder.record(MessageEvent.FAILED, "alice@a.test", "bob@b.test", "FAILURE: could not be stored or queued");

        assertEquals(1, registry.get("cmtp.messages.failed").counter().count(), "the Prometheus counter");
        assertEquals(1L, hours.totals().get(MessageEvent.FAILED), "the hour's count");
        assertEquals(List.of(new RecentEvents.Entry(clock.instant(), MessageEvent.FAILED, "alice@a.test", "bob@b.test",
                "FAILURE: could not be stored or queued")), recent.latest(), "the recent events");
    }

    @Test
    void aCountedEventIsNotShown() {
        recorder.count(MessageEvent.RECEIVED);

        assertEquals(1, registry.get("cmtp.messages.received").counter().count());
        assertEquals(1L, hours.totals().get(MessageEvent.RECEIVED));
        assertEquals(List.of(), recent.latest());
    }
}
