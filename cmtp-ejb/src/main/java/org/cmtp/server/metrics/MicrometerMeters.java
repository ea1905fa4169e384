package org.cmtp.server.metrics;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters in the Micrometer registry of WildFly's {@code micrometer} subsystem, which
 * hands every deployment a registry of its own as a CDI bean and serves all of them in
 * Prometheus form from the management interface once its {@code prometheus} registry is
 * configured (README "Deploying the EAR on Payara Server / WildFly"). Loaded only where
 * Micrometer's classes are visible ({@link ServerMeters} checks first): Payara has none.
 *
 * <p>Meters are made with the registry's {@code counter(name, tags)}, {@code timer} and
 * {@code gauge} methods, not with {@code Counter.builder(…).register(registry)}: WildFly
 * 39's per-deployment registry passes on only the former to the registry it serves (a
 * builder's meter stays in the deployment's own and is never scraped). So no descriptions:
 * on WildFly the metrics have no {@code # HELP} text.
 */
final class MicrometerMeters implements MeterRegistrar {

    static final String REGISTRY_CLASS = "io.micrometer.core.instrument.MeterRegistry";

    private final MeterRegistry registry;
    /** Micrometer holds a gauge's object weakly: these keep the gauges' readings alive. */
    private final List<LongSupplier> gauges = new CopyOnWriteArrayList<>();

    /** Over {@code registry}; outside a container ServerMetersTest gives a simple one. */
    MicrometerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The container's registry, when the runtime offers one as a bean. */
    static Optional<MeterRegistrar> of(BeanManager beans) {
        Instance<MeterRegistry> registries = beans.createInstance().select(MeterRegistry.class);
        return registries.isResolvable() ? Optional.of(new MicrometerMeters(registries.get())) : Optional.empty();
    }

    @Override
    public LongConsumer counter(String name, String description) {
        Counter counter = registry.counter(name, Tags.empty());
        return counter::increment;
    }

    @Override
    public Consumer<Duration> timer(String name, String description) {
        Timer timer = registry.timer(name, Tags.empty());
        return timer::record;
    }

    @Override
    public void gauge(String name, String description, LongSupplier value) {
        gauges.add(value);
        registry.gauge(name, Tags.empty(), value, LongSupplier::getAsLong);
    }
}
