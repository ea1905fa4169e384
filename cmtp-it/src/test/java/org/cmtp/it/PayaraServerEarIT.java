package org.cmtp.it;

import java.nio.file.Path;

import org.cmtp.it.support.AppServer;
import org.cmtp.it.support.PayaraServer;

/** {@code cmtp.ear} on Payara Server; runs with {@code -Ppayara-server}. */
class PayaraServerEarIT extends EarOnServer {

    @Override
    AppServer server(Path work) throws Exception {
        return new PayaraServer(Path.of(System.getProperty("it.payara.home")), work, cmtpPort(), DOMAIN, ADMIN_PASSWORD);
    }

    @Override
    int cmtpPort() {
        return Integer.getInteger("it.payara.cmtp-port", 19602);
    }

    @Override
    String name() {
        return "payara-server";
    }
}
