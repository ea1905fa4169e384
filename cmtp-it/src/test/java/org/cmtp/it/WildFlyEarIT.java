package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.AppServer;
import org.cmtp.it.support.WildFlyServer;

/** {@code cmtp.ear} on WildFly (standalone-full.xml); runs with {@code -Pwildfly}. */
class WildFlyEarIT extends EarOnServer {

    @Override
    AppServer server(Path work) throws Exception {
        return new WildFlyServer(Path.of(System.getProperty("it.wildfly.home")), work, cmtpPort(), DOMAIN, ADMIN_PASSWORD);
    }

    /**
     * standalone-full.xml has no MicroProfile Health: the README says {@code /health} is not
     * served there, and it is not (404 from the application's own context, not a check).
     */
    @Override
    void checkHealth(AppServer server) throws Exception {
        assertEquals(404, AdminClient.anonymous(server.http()).get("/health/ready").status());
    }

    @Override
    int cmtpPort() {
        return 19601;
    }

    @Override
    String name() {
        return "wildfly";
    }
}
