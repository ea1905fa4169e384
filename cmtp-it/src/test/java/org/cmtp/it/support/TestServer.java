package org.cmtp.it.support;

import java.net.URI;
import java.net.URL;

/** Where the server under test listens and how it is set up (system properties from the failsafe configuration). */
public final class TestServer {

    private TestServer() {
    }

    public static String host() {
        return System.getProperty("it.bind", "127.0.0.1");
    }

    public static int cmtpPort() {
        return Integer.getInteger("it.cmtp.port", 19901);
    }

    public static String domain() {
        return System.getProperty("it.domain", "it.test");
    }

    /**
     * The server's HTTP base: the port Arquillian reports, on the loopback address the
     * server binds to (Arquillian names the machine's host name, where nothing listens).
     */
    public static URI http(URL arquillianUrl) {
        return URI.create("http://" + host() + ":" + arquillianUrl.getPort() + "/");
    }

    public static String adminPassword() {
        return System.getProperty("it.admin.password", "it-admin-password");
    }
}
