package org.cmtp.web.health;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

import org.cmtp.server.relay.RelayWorker;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the relay worker finished a round recently. It starts one every 5 seconds; a
 * round delivering to slow servers may take a while, hence the generous limit.
 */
@Readiness
@ApplicationScoped
public class RelayWorkerCheck implements HealthCheck {

    static final Duration STALE = Duration.ofMinutes(5);

    @EJB
    private RelayWorker worker;

    @Override
    public HealthCheckResponse call() {
        Instant last = worker.lastRun();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("relay-worker")
                .withData("lastRun", last == null ? "never" : last.toString());
        boolean recent = last != null && last.isAfter(Instant.now().minus(STALE));
        return response.status(recent).build();
    }
}
