package org.cmtp.it;

import java.nio.file.Path;

import org.cmtp.it.support.AppServer;
import org.cmtp.it.support.WildFlyServer;

/**
 * {@code cmtp.ear} on WildFly (standalone-full.xml with the MicroProfile Health and
 * Micrometer subsystems, as the README says); runs with {@code -Pwildfly}.
 */
class WildFlyEarIT extends EarOnServer {

    @Override
    AppServer server(Path work) throws Exception {
        return new WildFlyServer(Path.of(System.getProperty("it.wildfly.home")), work, cmtpPort(), DOMAIN, ADMIN_PASSWORD);
    }

    @Override
    int cmtpPort() {
        return Integer.getInteger("it.wildfly.cmtp-port", 19601);
    }

    @Override
    String name() {
        return "wildfly";
    }
}
