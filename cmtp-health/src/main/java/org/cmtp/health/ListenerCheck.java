package org.cmtp.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

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

    static final String NAME = "cmtp-listener";
    private static final int TIMEOUT_MILLIS = 2000;

    @Override
    public HealthCheckResponse call() {
        return InstalledProbes.get().map(ListenerCheck::check).orElseGet(() -> NotStarted.down(NAME));
    }

    private static HealthCheckResponse check(ServerProbes server) {
        String host = server.cmtpHost();
        int port = server.cmtpPort();
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            String acceptProblem = server.cmtpAcceptProblem().orElse(null);
            if (acceptProblem != null) {
                return HealthCheckResponse.named(NAME).down().withData("address", where)
                        .withData("error", acceptProblem).build();
            }
            return HealthCheckResponse.named(NAME).up().withData("address", where).build();
        } catch (IOException e) {
            return HealthCheckResponse.named(NAME).down().withData("address", where)
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
