package org.cmtp.ra.outbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.CmtpClientException;
import org.cmtp.ra.api.CmtpConnectionException;

/**
 * One physical connection to the CMTP server: a {@link CmtpClient} and the key pinned for
 * its server. Application handles ({@link CmtpConnectionImpl}) call through it.
 *
 * <p>When a call breaks the client (I/O error, timeout, malformed or forged reply) the
 * container is told with {@link ConnectionEvent#CONNECTION_ERROR_OCCURRED}, so the pool
 * destroys the connection; {@link CmtpManagedConnectionFactory#matchManagedConnections}
 * never hands out a broken one in the meantime.
 */
public class CmtpManagedConnection implements ManagedConnection {

    private static final Logger LOG = Logger.getLogger(CmtpManagedConnection.class.getName());
    /** A connection used within this time is taken as alive without a NOOP. */
    private static final long FRESH_NANOS = 10_000_000_000L;

    private final CmtpManagedConnectionFactory factory;
    private final CmtpClient client;
    private final byte[] serverKey;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<CmtpConnectionImpl> handles = ConcurrentHashMap.newKeySet();
    private PrintWriter logWriter;
    private volatile boolean errorReported;
    private volatile long lastUsedNanos = System.nanoTime();

    CmtpManagedConnection(CmtpManagedConnectionFactory factory, CmtpClient client, byte[] serverKey) {
        this.factory = factory;
        this.client = client;
        this.serverKey = serverKey.clone();
    }

    /** What a handle asks of the client. */
    @FunctionalInterface
    interface Call<T> {
        T run(CmtpClient client, byte[] serverKey) throws CmtpClientException;
    }

    /** Runs one call for a handle; reports the connection broken to the container when it is. */
    <T> T call(Call<T> call) throws ResourceException {
        try {
            return call.run(client, serverKey);
        } catch (CmtpClientException e) {
            if (client.isBroken()) {
                reportError(e);
            }
            throw new CmtpConnectionException(e);
        } finally {
            lastUsedNanos = System.nanoTime();
        }
    }

    CmtpManagedConnectionFactory factory() {
        return factory;
    }

    byte[] serverKey() {
        return serverKey.clone();
    }

    /** @return true once the client broke or an error was reported: never to be handed out again */
    public boolean isBroken() {
        return errorReported || client.isBroken();
    }

    /** Alive: not broken, and either used recently or still answering NOOP. */
    boolean isValid() {
        if (isBroken()) {
            return false;
        }
        if (System.nanoTime() - lastUsedNanos < FRESH_NANOS || !handles.isEmpty()) {
            return true;
        }
        try {
            client.noop();
            lastUsedNanos = System.nanoTime();
            return true;
        } catch (CmtpClientException e) {
            LOG.log(Level.FINE, "CMTP outbound connection no longer answers", e);
            return false;
        }
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (isBroken()) {
            throw new ResourceException("CMTP connection to " + client.server() + " is broken");
        }
        CmtpConnectionImpl handle = new CmtpConnectionImpl(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof CmtpConnectionImpl handle)) {
            throw new ResourceException("not a CMTP connection handle: " + connection);
        }
        CmtpManagedConnection previous = handle.associate(this);
        if (previous != null) {
            previous.handles.remove(handle);
        }
        handles.add(handle);
    }

    /** A handle was closed by the application: give the connection back to the pool. */
    void closed(CmtpConnectionImpl handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionClosed(event);
        }
    }

    private void reportError(Exception cause) {
        if (errorReported) {
            return;
        }
        errorReported = true;
        LOG.log(Level.INFO, "CMTP outbound connection to " + client.server() + " failed and is discarded: "
                + cause.getMessage());
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionErrorOccurred(event);
        }
    }

    /** Invalidates the handles; the client stays open for the next application. */
    @Override
    public void cleanup() {
        for (CmtpConnectionImpl handle : handles) {
            handle.invalidate();
        }
        handles.clear();
    }

    @Override
    public void destroy() {
        cleanup();
        client.close();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("CMTP connections are not transactional (NoTransaction)");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("CMTP connections are not transactional (NoTransaction)");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new CmtpManagedConnectionMetaData(client.banner());
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter logWriter) {
        this.logWriter = logWriter;
    }

    @Override
    public String toString() {
        return "CmtpManagedConnection[" + client + "]";
    }
}
