package org.cmtp.server.metrics;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Writes this instance's message counts to the database every 5 seconds and when the
 * application stops, so that a busy server adds to each hour's row a few times a minute
 * instead of once per message. A crash loses at most the last 5 seconds of counts (never a
 * message).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TrafficFlush {

    @Inject
    private HourlyTraffic traffic;

    @Schedule(hour = "*", minute = "*", second = "*/5", persistent = false)
    void everyFiveSeconds() {
        traffic.flush();
    }

    @PreDestroy
    void onStop() {
        traffic.flush();
    }
}
