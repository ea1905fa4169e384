package org.cmtp.server.metrics;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Where {@link ServerMeters} registers its meters: the metrics library of the runtime it
 * runs in. Payara (Micro and Server) has MicroProfile Metrics, WildFly 28 and later
 * Micrometer instead (ADR 0039). Names are dotted ({@code cmtp.messages.stored}); both
 * libraries turn them into the same Prometheus names ({@code cmtp_messages_stored_total},
 * timers in seconds: {@code cmtp_mail_handling_seconds_count}), so one dashboard and one
 * set of alerts serve both.
 */
interface MeterRegistrar {

    /** A counter; the consumer adds its argument. */
    LongConsumer counter(String name, String description);

    /** A timer in seconds; the consumer records one duration. */
    Consumer<Duration> timer(String name, String description);

    /** A gauge read from {@code value} whenever it is scraped. */
    void gauge(String name, String description, LongSupplier value);
}
