package org.cmtp.it.support;

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

    public static String adminPassword() {
        return System.getProperty("it.admin.password", "it-admin-password");
    }
}
