package org.cmtp.health;

import org.eclipse.microprofile.health.HealthCheckResponse;

/** The answer of a check asked before the server installed its {@link ServerProbes}. */
final class NotStarted {

    private NotStarted() {
    }

    static HealthCheckResponse down(String check) {
        return HealthCheckResponse.named(check).down().withData("error", "the server has not started").build();
    }
}
