package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.AppServer;
import org.cmtp.it.support.Await;
import org.cmtp.it.support.PayaraServer;

/** {@code cmtp.ear} on Payara Server; runs with {@code -Ppayara-server}. */
class PayaraServerEarIT extends EarOnServer {

    @Override
    AppServer server(Path work) throws Exception {
        return new PayaraServer(Path.of(System.getProperty("it.payara.home")), work, cmtpPort(), DOMAIN, ADMIN_PASSWORD);
    }

    /**
     * Payara serves MicroProfile Health on the HTTP port, as Payara Micro does. Ready once the
     * relay worker has run its first round, up to 5 s after the deployment: polled until then.
     */
    @Override
    void checkHealth(AppServer server) throws Exception {
        AdminClient health = AdminClient.anonymous(server.http());
        Await.until(() -> {
            try {
                return health.get("/health/ready").status() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        }, java.time.Duration.ofSeconds(30), "/health/ready to answer 200");
        AdminClient.Reply reply = health.get("/health/ready");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("UP", reply.json().asJsonObject().getString("status"), reply.body());
        assertTrue(reply.body().contains("\"database\"") && reply.body().contains("\"cmtp-listener\""), reply.body());
    }

    @Override
    int cmtpPort() {
        return 19602;
    }

    @Override
    String name() {
        return "payara-server";
    }
}
