package org.cmtp.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the database answers a trivial query (counting the accounts). */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {

    static final String NAME = "database";

    @Override
    public HealthCheckResponse call() {
        return InstalledProbes.get().map(DatabaseCheck::check).orElseGet(() -> NotStarted.down(NAME));
    }

    private static HealthCheckResponse check(ServerProbes server) {
        try {
            long count = server.countAccounts();
            return HealthCheckResponse.named(NAME).up().withData("accounts", count).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named(NAME).down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
