package org.cmtp.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.cmtp.server.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hourly counts behind {@code GET /api/stats}: which hour a count falls in, the 24-hour
 * window, and that counts reach the table shared by the domain's instances once each, late
 * rather than never when the table cannot be written. Real parts: {@link TrafficHours} on H2
 * (schema made by the server's migrations, each call committed as the container does);
 * stood in for: the clock, which the test sets.
 */
class HourlyTrafficTest {

    /** 12:34:56 on a day, so that the window's first hour is 13:00 the day before. */
    private static final Instant NOON_ISH = Instant.parse("2024-05-01T12:34:56Z");

    @TempDir
    Path dir;

    private TrafficDatabase database;
    private final MovableClock clock = new MovableClock(NOON_ISH);
    /** This instance. */
    private HourlyTraffic traffic;
    /** Another instance of the domain, on the same table. */
    private HourlyTraffic other;

    @BeforeEach
    void start() throws SQLException {
        database = new TrafficDatabase(dir);
        traffic = database.traffic(clock);
        other = database.traffic(clock);
    }

    @AfterEach
    void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void beforeAnyMessageEveryEventIsZeroSinceTheCurrentHour() {
        assertEquals(counts(), traffic.totals(), "all six events, each zero");
        assertEquals(Instant.parse("2024-05-01T12:00:00Z"), traffic.since());
        assertEquals(counts(), traffic.lastDay().get(HourlyTraffic.HOURS - 1).counts());
    }

    @Test
    void aCountFallsInTheHourOfItsMomentAcrossAnHourBoundary() {
        clock.set(Instant.parse("2024-05-01T10:59:59.999Z"));
        traffic.count(MessageEvent.STORED);
        clock.advance(Duration.ofMillis(1));
        traffic.count(MessageEvent.STORED);
        traffic.count(MessageEvent.STORED);
        traffic.count(MessageEvent.QUEUED);

        List<HourlyTraffic.Hour> hours = traffic.lastDay();
        HourlyTraffic.Hour current = hours.get(hours.size() - 1);
        HourlyTraffic.Hour before = hours.get(hours.size() - 2);
        assertEquals(Instant.parse("2024-05-01T11:00:00Z"), current.start(), "the current hour is last");
        assertEquals(counts(MessageEvent.STORED, 2L, MessageEvent.QUEUED, 1L), current.counts());
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), before.start());
        assertEquals(counts(MessageEvent.STORED, 1L), before.counts(), "10:59:59.999 is still 10 o'clock");
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), traffic.since(), "the first hour counted");
    }

    @Test
    void theLastDayIsTwentyFourWholeHoursEndingWithTheCurrentOne() {
        clock.set(NOON_ISH.minus(Duration.ofHours(24)));
        traffic.count(MessageEvent.RECEIVED);
        traffic.flush(); // one from the table, too old for the window
        clock.set(NOON_ISH.minus(Duration.ofHours(23)));
        traffic.count(MessageEvent.RECEIVED); // not flushed, just inside
        clock.set(NOON_ISH);

        List<HourlyTraffic.Hour> hours = traffic.lastDay();
        assertEquals(24, hours.size());
        Instant first = Instant.parse("2024-04-30T13:00:00Z");
        for (int i = 0; i < hours.size(); i++) {
            assertEquals(first.plus(Duration.ofHours(i)), hours.get(i).start(), "hour " + i);
        }
        assertEquals(counts(MessageEvent.RECEIVED, 1L), hours.get(0).counts(), "23 hours ago: the first of the day");
        assertEquals(1L, hours.stream().mapToLong(hour -> hour.counts().get(MessageEvent.RECEIVED)).sum(),
                "24 hours ago is outside the window");
        assertEquals(counts(MessageEvent.RECEIVED, 2L), traffic.totals(), "but counted in the totals");
        assertEquals(Instant.parse("2024-04-30T12:00:00Z"), traffic.since(), "which count since its hour");
    }

    @Test
    void aFlushAddsThePendingCountsToTheTableOnce() {
        traffic.count(MessageEvent.STORED);
        traffic.count(MessageEvent.STORED);
        traffic.count(MessageEvent.STORED);
        assertEquals(counts(MessageEvent.STORED, 3L), traffic.totals(), "this instance sees its own before a flush");
        assertEquals(counts(), other.totals(), "the other instance does not yet");

        traffic.flush();
        assertEquals(counts(MessageEvent.STORED, 3L), other.totals(), "in the table now");
        assertEquals(counts(MessageEvent.STORED, 3L), other.lastDay().get(HourlyTraffic.HOURS - 1).counts());
        assertEquals(counts(MessageEvent.STORED, 3L), traffic.totals(), "not counted twice: in the table, not pending");

        traffic.flush();
        traffic.count(MessageEvent.STORED);
        other.count(MessageEvent.STORED);
        traffic.flush();
        other.flush();
        assertEquals(counts(MessageEvent.STORED, 5L), traffic.totals(), "both instances add to the hour's row");
        assertEquals(counts(MessageEvent.STORED, 5L), other.totals());
    }

    @Test
    void aCountThatCannotBeWrittenIsKeptForTheNextFlush() throws SQLException {
        traffic.count(MessageEvent.REJECTED);
        traffic.count(MessageEvent.REJECTED);
        database.sql("ALTER TABLE CMTP_TRAFFIC_HOUR RENAME TO CMTP_TRAFFIC_HOUR_AWAY");
        traffic.flush(); // fails on the missing table, quietly
        database.sql("ALTER TABLE CMTP_TRAFFIC_HOUR_AWAY RENAME TO CMTP_TRAFFIC_HOUR");
        assertEquals(counts(), other.totals(), "nothing written");
        assertEquals(counts(MessageEvent.REJECTED, 2L), traffic.totals(), "still pending here");

        traffic.flush();
        assertEquals(counts(MessageEvent.REJECTED, 2L), other.totals(), "written by the next flush");
        assertEquals(counts(MessageEvent.REJECTED, 2L), traffic.totals());
    }

    @Test
    void rowsOfAnEventThisVersionDoesNotKnowAreLeftOut() throws SQLException {
        long hour = NOON_ISH.getEpochSecond() / 3600;
        database.sql("INSERT INTO CMTP_TRAFFIC_HOUR (EPOCH_HOUR, EVENT, MESSAGES) VALUES (" + hour + ", 'bounced', 7)");
        traffic.count(MessageEvent.FAILED);
        traffic.flush();

        assertEquals(counts(MessageEvent.FAILED, 1L), traffic.totals());
        assertEquals(counts(MessageEvent.FAILED, 1L), traffic.lastDay().get(HourlyTraffic.HOURS - 1).counts());
    }

    /** Every event zero, but for the given event/count pairs. */
    private static Map<MessageEvent, Long> counts(Object... eventsAndCounts) {
        Map<MessageEvent, Long> counts = new EnumMap<>(MessageEvent.class);
        for (MessageEvent event : MessageEvent.values()) {
            counts.put(event, 0L);
        }
        for (int i = 0; i < eventsAndCounts.length; i += 2) {
            counts.put((MessageEvent) eventsAndCounts[i], (Long) eventsAndCounts[i + 1]);
        }
        return counts;
    }
}
