package org.cmtp.web.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.cmtp.ra.ListenerAddress;
import org.cmtp.ra.api.CmtpPorts;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the CMTP port accepts a connection ({@code cmtp.bind}/{@code cmtp.port}, the
 * wildcard address meaning loopback) and the listener's accept loop is not failing (e.g.
 * out of file descriptors: the kernel still completes connections into the backlog then, so
 * the probe alone would pass). The probe connection is closed at once, before any command.
 */
@Readiness
@ApplicationScoped
public class ListenerCheck implements HealthCheck {

    private static final int TIMEOUT_MILLIS = 2000;

    @Override
    public HealthCheckResponse call() {
        String host = ListenerAddress.localHost();
        int port = ListenerAddress.port();
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            String acceptProblem = CmtpPorts.acceptProblem().orElse(null);
            if (acceptProblem != null) {
                return HealthCheckResponse.named("cmtp-listener").down().withData("address", where)
                        .withData("error", acceptProblem).build();
            }
            return HealthCheckResponse.named("cmtp-listener").up().withData("address", where).build();
        } catch (IOException e) {
            return HealthCheckResponse.named("cmtp-listener").down().withData("address", where)
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
