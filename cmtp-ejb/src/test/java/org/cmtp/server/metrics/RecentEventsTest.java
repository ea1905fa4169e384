package org.cmtp.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.cmtp.server.testing.MovableClock;
import org.junit.jupiter.api.Test;

/** The latest message events the console's dashboard shows: newest first, the oldest dropped beyond the capacity. */
class RecentEventsTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2024-05-01T12:00:00Z"));

    @Test
    void eventsComeNewestFirstStampedWithTheTimeTheyWereAdded() {
        RecentEvents recent = new RecentEvents(5, clock);
        recent.add(MessageEvent.STORED, "alice@a.test", "bob@b.test", null);
        clock.advance(Duration.ofSeconds(1));
        recent.add(MessageEvent.FAILED, "carol@c.test", "dave@d.test", "FAILURE: could not be stored or queued");

        assertEquals(List.of(
                new RecentEvents.Entry(Instant.parse("2024-05-01T12:00:01Z"), MessageEvent.FAILED, "carol@c.test",
                        "dave@d.test", "FAILURE: could not be stored or queued"),
                new RecentEvents.Entry(Instant.parse("2024-05-01T12:00:00Z"), MessageEvent.STORED, "alice@a.test",
                        "bob@b.test", null)),
                recent.latest());
    }

    @Test
    void beyondTheCapacityTheOldestAreDropped() {
        RecentEvents recent = new RecentEvents(3, clock);
        for (int i = 1; i <= 5; i++) {
            recent.add(MessageEvent.QUEUED, "sender" + i + "@a.test", "bob@b.test", null);
        }
        assertEquals(List.of("sender5@a.test", "sender4@a.test", "sender3@a.test"),
                recent.latest().stream().map(RecentEvents.Entry::sender).toList());
    }

    @Test
    void theServerKeepsFifty() {
        RecentEvents recent = new RecentEvents();
        for (int i = 1; i <= 51; i++) {
            recent.add(MessageEvent.RELAYED, "sender" + i + "@a.test", "bob@b.test", null);
        }
        List<RecentEvents.Entry> latest = recent.latest();
        assertEquals(50, latest.size());
        assertEquals("sender51@a.test", latest.get(0).sender());
        assertEquals("sender2@a.test", latest.get(49).sender(), "the first one dropped");
    }

    @Test
    void aListReturnedIsNotChangedByLaterEvents() {
        RecentEvents recent = new RecentEvents(2, clock);
        recent.add(MessageEvent.STORED, "alice@a.test", "bob@b.test", null);
        List<RecentEvents.Entry> before = recent.latest();
        recent.add(MessageEvent.STORED, "carol@c.test", "bob@b.test", null);
        recent.add(MessageEvent.STORED, "dave@d.test", "bob@b.test", null);

        assertEquals(1, before.size());
        assertEquals("alice@a.test", before.get(0).sender());
        assertThrows(UnsupportedOperationException.class, () -> before.add(before.get(0)), "read-only");
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecentEvents(0, clock));
    }
}
