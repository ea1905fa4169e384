package org.cmtp.web.health;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;

import org.cmtp.server.account.AccountService;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the database answers a trivial query (counting the accounts). */
@Readiness
@ApplicationScoped
public class DatabaseCheck implements HealthCheck {

    @EJB
    private AccountService accounts;

    @Override
    public HealthCheckResponse call() {
        try {
            long count = accounts.count(null);
            return HealthCheckResponse.named("database").up().withData("accounts", count).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("database").down().withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
