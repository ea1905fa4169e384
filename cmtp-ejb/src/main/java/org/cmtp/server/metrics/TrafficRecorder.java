package org.cmtp.server.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Where the mail paths (MailIntake, GatewayDelivery, RelayWorker) say what happened to a
 * message. One event is kept in three places, each with a job of its own: this instance's
 * Prometheus counter ({@link ServerMeters}), the domain's hourly counts
 * ({@link HourlyTraffic}) and, with its addresses, the recent events ({@link RecentEvents}).
 * It stays as the one entry point so that a caller names the event once and the three
 * cannot disagree (a counter raised without its hour, say); the timers and the other
 * counters, which only the meters keep, callers take from {@link ServerMeters} directly.
 */
@ApplicationScoped
public class TrafficRecorder {

    @Inject
    private ServerMeters meters;
    @Inject
    private HourlyTraffic hours;
    @Inject
    private RecentEvents recent;

    /** For the container, which injects the three. */
    public TrafficRecorder() {
    }

    /** Outside a container (RelayWorkerDeliveryTest, TrafficRecorderTest). */
    public TrafficRecorder(ServerMeters meters, HourlyTraffic hours, RecentEvents recent) {
        this.meters = meters;
        this.hours = hours;
        this.recent = recent;
    }

    /** An event counted only, not shown among the recent ones ({@link MessageEvent#RECEIVED}: its outcome is). */
    public void count(MessageEvent event) {
        meters.count(event);
        hours.count(event);
    }

    /** An event counted and kept among the recent ones; {@code detail} says why, for failures (may be null). */
    public void record(MessageEvent event, String sender, String recipient, String detail) {
        count(event);
        recent.add(event, sender, recipient, detail);
    }
}
