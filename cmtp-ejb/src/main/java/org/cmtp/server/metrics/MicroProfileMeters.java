package org.cmtp.server.metrics;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;

/** The meters in MicroProfile Metrics' application registry: Payara serves it at {@code /metrics}. */
final class MicroProfileMeters implements MeterRegistrar {

    private final MetricRegistry registry;

    MicroProfileMeters(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public LongConsumer counter(String name, String description) {
        Counter counter = registry.counter(Metadata.builder().withName(name).withDescription(description).build());
        return counter::inc;
    }

    @Override
    public Consumer<Duration> timer(String name, String description) {
        Timer timer = registry.timer(Metadata.builder().withName(name).withDescription(description)
                .withUnit(MetricUnits.SECONDS).build());
        return timer::update;
    }

    @Override
    public void gauge(String name, String description, LongSupplier value) {
        Supplier<Long> reading = value::getAsLong;
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), reading);
    }
}
