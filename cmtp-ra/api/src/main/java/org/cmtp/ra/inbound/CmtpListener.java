package org.cmtp.ra.inbound;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.ra.api.DeliveredMail;

/**
 * One listening CMTP socket (one endpoint activation). An accept loop runs as a
 * {@link Work} on the container's {@link WorkManager}; each accepted connection is a
 * {@link CmtpSession}, another Work. Connections past the limit get a text reply saying
 * the server is busy and are closed, so a flood never ties up more than the limit.
 */
public final class CmtpListener {

    private static final Logger LOG = Logger.getLogger(CmtpListener.class.getName());
    static final byte[] BUSY_REPLY = "Server busy, try again later\n\0".getBytes(StandardCharsets.US_ASCII);

    private final CmtpActivationSpec spec;
    private final MessageEndpointFactory endpointFactory;
    private final WorkManager workManager;
    private final Semaphore connectionSlots;
    private final Consumer<DeliveredMail> localDeliveries;
    /** Every listener that is open in this JVM, for {@link #openConnectionsOfAll()}. */
    private static final Set<CmtpListener> OPEN = ConcurrentHashMap.newKeySet();

    private final Set<CmtpSession> sessions = ConcurrentHashMap.newKeySet();
    private final MessageMemory messageMemory;
    private volatile ServerSocket serverSocket;
    private volatile boolean closed;

    /**
     * @param localDeliveries told of every message the endpoint stored for a local account
     *                        (from the session's thread: it must return at once)
     */
    public CmtpListener(CmtpActivationSpec spec, MessageEndpointFactory endpointFactory, WorkManager workManager,
                        Consumer<DeliveredMail> localDeliveries) {
        this.spec = spec;
        this.endpointFactory = endpointFactory;
        this.workManager = workManager;
        this.localDeliveries = localDeliveries;
        this.connectionSlots = new Semaphore(spec.effectiveMaxConnections());
        this.messageMemory = new MessageMemory(spec.effectiveMailMemoryMiB() * 1024L * 1024);
    }

    /** Binds the socket (failing here, at activation, names a taken port at once) and starts accepting. */
    public void open() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(spec.effectiveBindAddress()), spec.effectivePort()), 128);
            serverSocket = socket;
            workManager.scheduleWork(new AcceptLoop());
            OPEN.add(this);
        } catch (IOException | WorkException e) {
            socket.close();
            throw e instanceof IOException io ? io : new IOException("cannot start the accept loop", e);
        }
        LOG.info(() -> "CMTP listening on " + describe());
    }

    /** Closes the listening socket and every open connection; idempotent. */
    public void close() {
        closed = true;
        OPEN.remove(this);
        ServerSocket socket = serverSocket;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing listener", e);
            }
        }
        sessions.forEach(CmtpSession::abort);
        LOG.info(() -> "CMTP listener on " + describe() + " closed");
    }

    public int openConnections() {
        return sessions.size();
    }

    /** The CMTP connections open now on every listener of this JVM (the server's metrics gauge). */
    public static int openConnectionsOfAll() {
        return OPEN.stream().mapToInt(CmtpListener::openConnections).sum();
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
            refuse(client);
            return;
        }
        CmtpSession session = new CmtpSession(client, spec, new EndpointInvoker(endpointFactory), messageMemory,
                localDeliveries, this::ended);
        sessions.add(session);
        try {
            workManager.scheduleWork(session);
        } catch (WorkException e) {
            LOG.warning(() -> "no worker thread for a CMTP connection (" + e.getMessage() + "); refusing "
                    + client.getRemoteSocketAddress());
            ended(session);
            refuse(client);
        }
    }

    private void ended(CmtpSession session) {
        if (sessions.remove(session)) {
            connectionSlots.release();
        }
    }

    private static void refuse(Socket client) {
        try (Socket s = client; OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(1000);
            out.write(BUSY_REPLY);
            out.flush();
        } catch (IOException e) {
            LOG.log(Level.FINE, "refusing a connection", e);
        }
    }

    private final class AcceptLoop implements Work {
        @Override
        public void run() {
            while (!closed) {
                try {
                    Socket client = serverSocket.accept();
                    accept(client);
                } catch (SocketException e) {
                    if (!closed) {
                        LOG.log(Level.SEVERE, "CMTP listener on " + describe() + " failed", e);
                    }
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "accepting a CMTP connection failed", e);
                }
            }
        }

        @Override
        public void release() {
            close();
        }
    }
}
