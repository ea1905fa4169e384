package org.cmtp.ra.api;

/**
 * The state of one open CMTP listener, published by the adapter in the platform MBean
 * server as {@code org.cmtp:type=CmtpPort,address="HOST:PORT"}: how the application's
 * metrics and readiness check learn about the adapter's sockets (read them with
 * {@link CmtpPorts}), and what an operator sees in any JMX console.
 */
public interface CmtpPortMXBean {

    /** The JMX domain and type every listener is registered under. */
    String TYPE = "org.cmtp:type=CmtpPort";

    /** Where it listens, {@code HOST:PORT}. */
    String getAddress();

    /** CMTP connections open now. */
    int getOpenConnections();

    /** Why it cannot accept connections right now (e.g. "Too many open files"), or "" while it can. */
    String getAcceptProblem();
}
