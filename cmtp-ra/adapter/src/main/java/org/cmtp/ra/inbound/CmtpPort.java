package org.cmtp.ra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.management.JMException;
import javax.management.ObjectName;
import javax.net.ServerSocketFactory;

import org.cmtp.ra.api.CmtpPortMXBean;
import org.cmtp.ra.api.DeliveredMail;

/**
 * The CMTP port of this server: one listening socket, opened for one activation of the
 * domain's endpoint (the MDB implementing {@link org.cmtp.ra.api.CmtpRequestListener}, see
 * {@link CmtpPortActivationSpec}). Not to be confused with the JCA message listener
 * interfaces, which are what the port calls. An accept loop runs as a
 * {@link Work} on the container's {@link WorkManager}; each accepted connection is a
 * {@link CmtpSession}, another Work. Connections past the limit get a text reply saying
 * the server is busy and are closed, so a flood never ties up more than the limit; so are
 * connections past the limit of one client ({@link ConnectionsPerClient}), so one client
 * cannot take every slot.
 *
 * <p>A watchdog, a third Work, closes every connection whose session has been blocked for
 * longer than the write timeout writing replies its client does not read: Java's blocking
 * sockets have no write timeout of their own. The accept loop survives failures to accept
 * (such as running out of file descriptors): it waits a little longer after each and goes
 * on, and reports the failure meanwhile.
 *
 * <p>While open, the port publishes its state (open connections, why it cannot accept)
 * as a {@link CmtpPortMXBean} in the platform MBean server, where the server's metrics
 * and readiness check read it ({@link org.cmtp.ra.api.CmtpPorts}).
 */
public final class CmtpPort {

    private static final Logger LOG = Logger.getLogger(CmtpPort.class.getName());
    static final byte[] BUSY_REPLY = "Server busy, try again later\n\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TOO_MANY_REPLY = "Too many connections from your address, try again later\n\0"
            .getBytes(StandardCharsets.US_ASCII);
    /** Longest wait between two attempts to accept while accepting fails. */
    private static final long MAX_ACCEPT_BACKOFF_MILLIS = 2000;

    private final CmtpPortActivationSpec spec;
    private final MessageEndpointFactory endpointFactory;
    private final WorkManager workManager;
    private final Semaphore connectionSlots;
    private final Consumer<DeliveredMail> localDeliveries;
    private final Set<CmtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final MessageMemory messageMemory;
    private final ConnectionsPerClient connectionsPerClient;
    private final ConstantReplies constantReplies = new ConstantReplies();
    private final ServerSocketFactory serverSockets;
    /** The watchdog waits on this between rounds; {@link #close()} wakes it. */
    private final Object watchdogRounds = new Object();
    private volatile ServerSocket serverSocket;
    private volatile boolean closed;
    /** Why accepting fails right now, or null while it works. */
    private volatile String acceptProblem;
    /** Where {@link #open} published this listener's state, or null. */
    private volatile ObjectName publishedAs;

    /**
     * @param localDeliveries told of every message the endpoint stored for a local account
     *                        (from the session's thread: it must return at once)
     */
    public CmtpPort(CmtpPortActivationSpec spec, MessageEndpointFactory endpointFactory, WorkManager workManager,
                        Consumer<DeliveredMail> localDeliveries) {
        this(spec, endpointFactory, workManager, localDeliveries, ServerSocketFactory.getDefault());
    }

    /** With the listening socket made by {@code serverSockets} (tests: one that fails to accept). */
    CmtpPort(CmtpPortActivationSpec spec, MessageEndpointFactory endpointFactory, WorkManager workManager,
                 Consumer<DeliveredMail> localDeliveries, ServerSocketFactory serverSockets) {
        this.serverSockets = serverSockets;
        this.connectionsPerClient = new ConnectionsPerClient(spec.effectiveMaxConnectionsPerClient());
        this.spec = spec;
        this.endpointFactory = endpointFactory;
        this.workManager = workManager;
        this.localDeliveries = localDeliveries;
        this.connectionSlots = new Semaphore(spec.effectiveMaxConnections());
        this.messageMemory = new MessageMemory(spec.effectiveMailMemoryMiB() * 1024L * 1024);
    }

    /** Binds the socket (failing here, at activation, names a taken port at once) and starts accepting. */
    public void open() throws IOException {
        ServerSocket socket = serverSockets.createServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(spec.effectiveBindAddress()), spec.effectivePort()), 128);
            serverSocket = socket;
            workManager.scheduleWork(new AcceptLoop());
            workManager.scheduleWork(new WriteWatchdog());
            publish();
        } catch (IOException | WorkException e) {
            closed = true;
            socket.close();
            throw e instanceof IOException io ? io : new IOException("cannot start the accept loop", e);
        }
        LOG.info(() -> "CMTP listening on " + describe());
    }

    /** Closes the listening socket and every open connection; idempotent. */
    public void close() {
        closed = true;
        unpublish();
        ServerSocket socket = serverSocket;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing listener", e);
            }
        }
        sessions.forEach(CmtpSession::abort);
        synchronized (watchdogRounds) {
            watchdogRounds.notifyAll();
        }
        LOG.info(() -> "CMTP listener on " + describe() + " closed");
    }

    public int openConnections() {
        return sessions.size();
    }

    /** Bytes of {@code cmtp.mail-memory} no MAIL in progress holds now. */
    long messageMemoryAvailableBytes() {
        return messageMemory.availableBytes();
    }

    private void publish() {
        try {
            ObjectName name = new ObjectName(CmtpPortMXBean.TYPE + ",address=" + ObjectName.quote(describe()));
            ManagementFactory.getPlatformMBeanServer().registerMBean(new State(), name);
            publishedAs = name;
        } catch (JMException e) {
            // the listener works; only its gauge and readiness detail are missing
            LOG.log(Level.WARNING, "CMTP listener on " + describe() + ": cannot publish its state over JMX", e);
        }
    }

    private void unpublish() {
        ObjectName name = publishedAs;
        publishedAs = null;
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.log(Level.FINE, "unpublishing " + name, e);
            }
        }
    }

    /** What {@link #publish} registers: a view of this listener, nothing more. */
    private final class State implements CmtpPortMXBean {

        @Override
        public String getAddress() {
            return describe();
        }

        @Override
        public int getOpenConnections() {
            return openConnections();
        }

        @Override
        public String getAcceptProblem() {
            String problem = acceptProblem;
            return problem != null ? problem : "";
        }
    }

    String describe() {
        ServerSocket socket = serverSocket;
        return socket != null ? socket.getLocalSocketAddress().toString().replaceFirst("^/", "")
                : spec.effectiveBindAddress() + ":" + spec.effectivePort();
    }

    private void accept(Socket client) {
        if (!connectionSlots.tryAcquire()) {
            LOG.warning(() -> "CMTP connection limit " + spec.effectiveMaxConnections() + " reached; refusing "
                    + client.getRemoteSocketAddress());
            refuse(client, BUSY_REPLY);
            return;
        }
        String clientName = ConnectionsPerClient.clientOf(client.getInetAddress());
        ConnectionsPerClient.Admission admission = connectionsPerClient.tryOpen(clientName);
        if (admission != ConnectionsPerClient.Admission.OPENED) {
            connectionSlots.release();
            LOG.log(admission == ConnectionsPerClient.Admission.REFUSED_FIRST ? Level.WARNING : Level.FINE,
                    () -> "CMTP client " + clientName + " holds " + connectionsPerClient.limit()
                            + " connections (cmtp.max-connections-per-client); refusing more from it");
            refuse(client, TOO_MANY_REPLY);
            return;
        }
        CmtpSession session = new CmtpSession(client, spec, new EndpointInvoker(endpointFactory), messageMemory,
                constantReplies, localDeliveries, ended -> ended(ended, clientName));
        sessions.add(session);
        try {
            workManager.scheduleWork(session);
        } catch (WorkException e) {
            LOG.warning(() -> "no worker thread for a CMTP connection (" + e.getMessage() + "); refusing "
                    + client.getRemoteSocketAddress());
            ended(session, clientName);
            refuse(client, BUSY_REPLY);
        }
    }

    private void ended(CmtpSession session, String clientName) {
        if (sessions.remove(session)) {
            connectionsPerClient.closed(clientName);
            connectionSlots.release();
        }
    }

    /** Sends a short text reply and closes; it fits the socket's send buffer, so the write does not block. */
    private static void refuse(Socket client, byte[] reply) {
        try (Socket s = client; OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(1000);
            out.write(reply);
            out.flush();
        } catch (IOException e) {
            LOG.log(Level.FINE, "refusing a connection", e);
        }
    }

    /** Accepts connections until the listener is closed, whatever accepting throws meanwhile. */
    private final class AcceptLoop implements Work {

        private long backoffMillis;

        @Override
        public void run() {
            while (!closed) {
                Socket client;
                try {
                    client = serverSocket.accept();
                } catch (IOException e) {
                    if (closed || serverSocket.isClosed()) {
                        if (!closed) {
                            acceptProblem = "the listening socket was closed";
                            LOG.log(Level.SEVERE, "CMTP listener on " + describe() + " failed", e);
                        }
                        return;
                    }
                    if (!waitAfterFailure(e)) {
                        return;
                    }
                    continue;
                }
                acceptingAgain();
                try {
                    accept(client);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "accepting a CMTP connection failed", e);
                }
            }
        }

        /**
         * Accepting failed, as it does when the process is out of file descriptors (EMFILE):
         * the connection stays in the backlog; wait, longer after each failure in a row, and
         * try again. Logged once per spell of failures; false when interrupted.
         */
        private boolean waitAfterFailure(IOException e) {
            if (acceptProblem == null) {
                LOG.log(Level.SEVERE, "CMTP listener on " + describe() + " cannot accept connections ("
                        + e.getMessage() + "); trying again, the readiness check is DOWN until it can", e);
            } else {
                LOG.log(Level.FINE, "CMTP listener on " + describe() + " still cannot accept", e);
            }
            acceptProblem = String.valueOf(e.getMessage());
            backoffMillis = backoffMillis == 0 ? 10 : Math.min(backoffMillis * 2, MAX_ACCEPT_BACKOFF_MILLIS);
            try {
                Thread.sleep(backoffMillis);
                return true;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void acceptingAgain() {
            backoffMillis = 0;
            if (acceptProblem != null) {
                acceptProblem = null;
                LOG.info(() -> "CMTP listener on " + describe() + " accepts connections again");
            }
        }

        @Override
        public void release() {
            close();
        }
    }

    /**
     * Closes the connections whose session has been blocked writing for longer than the
     * write timeout: closing the socket ends the blocked write with an exception, the
     * session ends and gives its slot back. Looks every quarter of the timeout (at most
     * every second), so a stuck connection is closed within 1.25 write timeouts.
     */
    private final class WriteWatchdog implements Work {
        @Override
        public void run() {
            long timeoutNanos = spec.effectiveWriteTimeoutSeconds() * 1_000_000_000L;
            long roundMillis = Math.max(10, Math.min(1000, spec.effectiveWriteTimeoutSeconds() * 1000L / 4));
            while (!closed) {
                try {
                    synchronized (watchdogRounds) {
                        watchdogRounds.wait(roundMillis);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long now = System.nanoTime();
                for (CmtpSession session : sessions) {
                    if (session.writingForNanos(now) > timeoutNanos) {
                        session.closeStuckWrite();
                    }
                }
            }
        }

        @Override
        public void release() {
            close();
        }
    }
}
