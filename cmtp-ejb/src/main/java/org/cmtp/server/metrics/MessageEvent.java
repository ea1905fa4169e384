package org.cmtp.server.metrics;

import java.util.Locale;

/**
 * What happens to a message, as the server counts it: each is a Prometheus counter
 * ({@link #metricName()}), a column of the hourly traffic ({@link HourlyTraffic}) and a
 * key of {@code GET /api/stats}, all under its {@link #word()}.
 */
public enum MessageEvent {
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

    private final String description;

    MessageEvent(String description) {
        this.description = description;
    }

    /** The name in the database table, in {@code GET /api/stats} and in the metric's name. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String metricName() {
        return "cmtp.messages." + word();
    }

    /** The metric's help text. */
    String description() {
        return description;
    }

    /** The event {@code word} names, or null for one this version does not know (a newer instance's). */
    static MessageEvent ofWord(String word) {
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
