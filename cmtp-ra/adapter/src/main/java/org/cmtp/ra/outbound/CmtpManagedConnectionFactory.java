package org.cmtp.ra.outbound;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

import javax.security.auth.Subject;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.CmtpClientException;
import org.cmtp.ra.Setting;
import org.cmtp.ra.api.CmtpConnectionException;
import org.cmtp.ra.ListenerAddress;

/**
 * Makes the physical connections behind {@link org.cmtp.ra.api.CmtpConnectionFactory}: one
 * {@link CmtpClient} per {@link CmtpManagedConnection}, to one CMTP server.
 *
 * <p>Configuration properties (all optional):
 * <ul>
 * <li>{@code host}: the server; default the {@code cmtp.bind} setting, where {@code 0.0.0.0}
 *     (all interfaces) means {@code 127.0.0.1} and {@code ::} means {@code ::1} — i.e. this
 *     server itself;</li>
 * <li>{@code port}: default the {@code cmtp.port} setting, else the CMTP port 9001
 *     ({@link ListenerAddress});</li>
 * <li>{@code connectTimeoutMillis} (5000) and {@code readTimeoutMillis} (30000);</li>
 * <li>{@code serverKey}: the server's public key in hex, to pin it up front. When unset, the
 *     key the server presents on the first connection is pinned (trust on first use).</li>
 * </ul>
 *
 * <p>The pinned key is kept for the factory's lifetime: every later connection must present
 * the same key or is refused, and every signed reply is verified with it. Likewise, once the
 * server has advertised address-bound key replies ({@code KEYBIND 1}, PROTOCOL.md §4a) — or
 * from the start when {@code serverKey} is configured — every connection asks for keys with
 * {@code KEYBIND} and refuses version-1 key replies, whatever a later OHAI says.
 */
public class CmtpManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation,
        ValidatingManagedConnectionFactory {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CmtpManagedConnectionFactory.class.getName());

    public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 5000;
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 30000;

    private String host;
    private Integer port;
    private Integer connectTimeoutMillis = DEFAULT_CONNECT_TIMEOUT_MILLIS;
    private Integer readTimeoutMillis = DEFAULT_READ_TIMEOUT_MILLIS;
    private String serverKey;

    private transient ResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    private transient volatile byte[] pinnedKey;
    /** The server answered with address-bound key replies once: required from then on. */
    private transient volatile boolean keyBindSeen;

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) throws ResourceException {
        return new CmtpConnectionFactoryImpl(this, connectionManager);
    }

    /** Outside a container: every connection is made on demand and closed with its handle. */
    @Override
    public Object createConnectionFactory() throws ResourceException {
        return new CmtpConnectionFactoryImpl(this, new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        validate();
        InetSocketAddress address = new InetSocketAddress(effectiveHost(), effectivePort());
        CmtpClient client;
        byte[] presented;
        try {
            client = CmtpClient.connect(address, Duration.ofMillis(effectiveConnectTimeoutMillis()),
                    Duration.ofMillis(effectiveReadTimeoutMillis()));
        } catch (CmtpClientException e) {
            throw new CmtpConnectionException(e);
        }
        try {
            if (keyBindSeen || serverKey != null) {
                client.requireKeyBind();
            }
            presented = client.serverKey();
            byte[] pinned = pin(presented, client.server());
            if (!Arrays.equals(pinned, presented)) {
                client.close();
                throw new CmtpConnectionException("CMTP server " + client.server() + " presented the key "
                        + HexFormat.of().formatHex(presented) + ", not the pinned " + HexFormat.of().formatHex(pinned)
                        + "; refusing to talk to it", null);
            }
            if (client.usesKeyBind()) { // sends OHAI: the capabilities are wanted for MAIL anyway
                keyBindSeen = true;
            }
            return new CmtpManagedConnection(this, client, pinned);
        } catch (CmtpClientException e) {
            client.close();
            throw new CmtpConnectionException(e);
        }
    }

    /** Pins {@code presented} unless a key is pinned already; returns the pinned key. */
    private synchronized byte[] pin(byte[] presented, String server) throws InvalidPropertyException {
        if (pinnedKey == null) {
            if (serverKey != null) {
                pinnedKey = parseKey(serverKey);
            } else {
                pinnedKey = presented.clone();
                LOG.info(() -> "CMTP outbound: pinned the key of " + server + " on first use: "
                        + HexFormat.of().formatHex(presented));
            }
        }
        return pinnedKey.clone();
    }

    /** @return the key pinned so far, or null before the first connection (unless configured) */
    public byte[] pinnedKey() {
        byte[] key = pinnedKey;
        return key == null ? null : key.clone();
    }

    /** Hands out the first connection of this factory that is not broken. */
    @Override
    public ManagedConnection matchManagedConnections(@SuppressWarnings("rawtypes") Set candidates, Subject subject,
                                                     ConnectionRequestInfo info) {
        for (Object candidate : candidates) {
            if (candidate instanceof CmtpManagedConnection connection && connection.factory().equals(this)
                    && !connection.isBroken()) {
                return connection;
            }
        }
        return null;
    }

    /** The connections that broke, or that sat idle and no longer answer NOOP. */
    @Override
    public Set<?> getInvalidConnections(@SuppressWarnings("rawtypes") Set connections) {
        Set<Object> invalid = new HashSet<>();
        for (Object candidate : connections) {
            if (candidate instanceof CmtpManagedConnection connection && !connection.isValid()) {
                invalid.add(connection);
            }
        }
        return invalid;
    }

    /** @throws InvalidPropertyException for a property out of range */
    public void validate() throws InvalidPropertyException {
        int port = effectivePort();
        if (port < 1 || port > 65535) {
            throw new InvalidPropertyException("CMTP outbound property port must be 1..65535, was " + port);
        }
        if (effectiveConnectTimeoutMillis() < 1 || effectiveReadTimeoutMillis() < 1) {
            throw new InvalidPropertyException("CMTP outbound timeouts must be at least 1 ms");
        }
        if (serverKey != null) {
            parseKey(serverKey);
        }
    }

    private static byte[] parseKey(String hex) throws InvalidPropertyException {
        try {
            byte[] key = HexFormat.of().parseHex(hex.trim());
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidPropertyException("CMTP outbound property serverKey must be 64 hex digits (32 bytes)");
    }

    /** @return the host connected to: {@code host}, else {@code cmtp.bind} with the wildcard as loopback */
    public String effectiveHost() {
        if (host != null) {
            return host;
        }
        return ListenerAddress.localHost();
    }

    public int effectivePort() {
        return port != null ? port : ListenerAddress.port();
    }

    public int effectiveConnectTimeoutMillis() {
        return connectTimeoutMillis != null ? connectTimeoutMillis : DEFAULT_CONNECT_TIMEOUT_MILLIS;
    }

    public int effectiveReadTimeoutMillis() {
        return readTimeoutMillis != null ? readTimeoutMillis : DEFAULT_READ_TIMEOUT_MILLIS;
    }

    // JavaBean configuration properties, set by the container (ra.xml / pool properties).

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = Setting.blankToNull(host);
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getConnectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public void setConnectTimeoutMillis(Integer connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    public Integer getReadTimeoutMillis() {
        return readTimeoutMillis;
    }

    public void setReadTimeoutMillis(Integer readTimeoutMillis) {
        this.readTimeoutMillis = readTimeoutMillis;
    }

    public String getServerKey() {
        return serverKey;
    }

    public void setServerKey(String serverKey) {
        this.serverKey = Setting.blankToNull(serverKey);
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) {
        this.resourceAdapter = resourceAdapter;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter logWriter) {
        this.logWriter = logWriter;
    }

    /** JCA: equal when every configuration property is (the pinned key and adapter are not configuration). */
    @Override
    public boolean equals(Object o) {
        return o instanceof CmtpManagedConnectionFactory other && o.getClass() == getClass()
                && Objects.equals(host, other.host) && Objects.equals(port, other.port)
                && Objects.equals(connectTimeoutMillis, other.connectTimeoutMillis)
                && Objects.equals(readTimeoutMillis, other.readTimeoutMillis)
                && Objects.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, connectTimeoutMillis, readTimeoutMillis, serverKey);
    }

    @Override
    public String toString() {
        return "CmtpManagedConnectionFactory[" + effectiveHost() + ":" + effectivePort() + "]";
    }
}
