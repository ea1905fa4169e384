package org.cmtp.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once the schema is current and the server key is loaded (the start-up beans
 * have run: the key is read from the migrated database) and a CMTP listener is open.
 * Never goes down again while the process runs; readiness and liveness take over then.
 */
@Startup
@ApplicationScoped
public class StartedCheck implements HealthCheck {

    static final String NAME = "started";

    @Override
    public HealthCheckResponse call() {
        return InstalledProbes.get().map(StartedCheck::check).orElseGet(() -> NotStarted.down(NAME));
    }

    private static HealthCheckResponse check(ServerProbes server) {
        boolean key;
        try {
            key = server.serverKeyLoaded();
        } catch (RuntimeException e) {
            key = false;
        }
        int listeners = server.cmtpListenersOpen();
        return HealthCheckResponse.named(NAME).status(key && listeners > 0).withData("serverKey", key)
                .withData("cmtpListeners", listeners).build();
    }
}
