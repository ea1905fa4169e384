package org.cmtp.web.health;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;

import org.cmtp.ra.api.CmtpPorts;
import org.cmtp.server.identity.ServerIdentity;
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

    @EJB
    private ServerIdentity identity;

    @Override
    public HealthCheckResponse call() {
        boolean key;
        try {
            key = identity.publicKey().length == 32;
        } catch (RuntimeException e) {
            key = false;
        }
        int listeners = CmtpPorts.open().size();
        return HealthCheckResponse.named("started").status(key && listeners > 0).withData("serverKey", key)
                .withData("cmtpListeners", listeners).build();
    }
}
