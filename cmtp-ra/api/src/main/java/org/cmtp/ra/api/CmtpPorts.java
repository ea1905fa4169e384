package org.cmtp.ra.api;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Reads the adapter's open listeners ({@link CmtpPortMXBean}) from the platform MBean
 * server: a channel that works whichever class loader the adapter and the reader have, on
 * Payara Micro as in an EAR on Payara Server or WildFly.
 */
public final class CmtpPorts {

    private static final ObjectName ALL;

    static {
        try {
            ALL = new ObjectName(CmtpPortMXBean.TYPE + ",*");
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CmtpPorts() {
    }

    /** Every listener open in this JVM. */
    public static List<CmtpPortMXBean> open() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.queryNames(ALL, null).stream()
                .map(name -> JMX.newMXBeanProxy(server, name, CmtpPortMXBean.class))
                .toList();
    }

    /** The CMTP connections open now on every listener of this JVM. */
    public static int openConnections() {
        int open = 0;
        for (CmtpPortMXBean listener : open()) {
            try {
                open += listener.getOpenConnections();
            } catch (RuntimeException closedMeanwhile) {
                // unregistered between the query and the read: it holds no connections
            }
        }
        return open;
    }

    /** Why a listener cannot accept connections right now, naming it, or empty while every one can. */
    public static Optional<String> acceptProblem() {
        for (CmtpPortMXBean listener : open()) {
            try {
                String problem = listener.getAcceptProblem();
                if (!problem.isEmpty()) {
                    return Optional.of("CMTP listener on " + listener.getAddress() + " cannot accept: " + problem);
                }
            } catch (RuntimeException closedMeanwhile) {
                // unregistered between the query and the read: nothing to report
            }
        }
        return Optional.empty();
    }
}
