package org.cmtp.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless threads of the JVM are deadlocked: then only a restart helps. Nothing here
 * depends on the database or the network, so an orchestrator's liveness probe never
 * restarts a server that merely waits for its database (that is what readiness says).
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] deadlocked = threads.findDeadlockedThreads();
        int count = deadlocked == null ? 0 : deadlocked.length;
        return HealthCheckResponse.named("deadlocks").status(count == 0).withData("deadlockedThreads", count)
                .withData("threads", threads.getThreadCount()).build();
    }
}
