package org.cmtp.server.metrics;

import jakarta.persistence.EntityManagerFactory;

import java.util.List;
import java.util.function.Function;

import org.cmtp.server.testing.Committed;

/**
 * The real traffic table outside a container, each call committed in a transaction of its
 * own on an entity manager of {@code factory}, as the container runs {@code add}
 * ({@code REQUIRES_NEW}); a call that throws is rolled back.
 */
public final class CommittingTrafficHours extends TrafficHours {

    private final EntityManagerFactory factory;

    public CommittingTrafficHours(EntityManagerFactory factory) {
        this.factory = factory;
    }

    private <T> T committed(Function<TrafficHours, T> work) {
        return Committed.on(factory, em -> work.apply(new TrafficHours(em)));
    }

    @Override
    public void add(long epochHour, String event, long messages) {
        committed(table -> {
            table.add(epochHour, event, messages);
            return null;
        });
    }

    @Override
    public List<Object[]> since(long firstEpochHour) {
        return committed(table -> table.since(firstEpochHour));
    }

    @Override
    public List<Object[]> totals() {
        return committed(TrafficHours::totals);
    }

    @Override
    public Long firstEpochHour() {
        return committed(TrafficHours::firstEpochHour);
    }
}
