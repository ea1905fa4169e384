package org.cmtp.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the relay worker finished a round recently. It starts one every 5 seconds; a
 * round delivering to slow servers may take a while, hence the generous limit.
 */
@Readiness
@ApplicationScoped
public class RelayWorkerCheck implements HealthCheck {

    static final String NAME = "relay-worker";
    static final Duration STALE = Duration.ofMinutes(5);

    @Override
    public HealthCheckResponse call() {
        return InstalledProbes.get().map(RelayWorkerCheck::check).orElseGet(() -> NotStarted.down(NAME));
    }

    private static HealthCheckResponse check(ServerProbes server) {
        Instant last = server.relayWorkerLastRun();
        boolean recent = last != null && last.isAfter(Instant.now().minus(STALE));
        return HealthCheckResponse.named(NAME).withData("lastRun", last == null ? "never" : last.toString())
                .status(recent).build();
    }
}
