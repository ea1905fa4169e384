package org.cmtp.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;

import java.time.Duration;
import java.util.HexFormat;
import org.cmtp.protocol.DefaultPort;

/**
 * The session properties of the transport (README, "Sending from Jakarta Mail
 * applications"), read when it connects. A value that cannot be used is refused with a
 * message naming the property, never replaced by a default.
 *
 * @param host the home server (direct route)
 * @param port its CMTP port
 * @param serverKey the pinned server key, or null for trust on first use
 * @param connectTimeout how long to wait for the TCP connection
 * @param timeout how long to wait for each reply
 * @param connectionFactory JNDI name of a {@code CmtpConnectionFactory} to send through
 *                          (adapter route), or null for a connection of the transport's own
 * @param localAddress the local address to connect from (as {@code mail.smtp.localaddress}), or null
 * @param allowPlaintext {@code mail.cmtp.allowplaintext}: recipients without a key get a plaintext
 *                       (version 0) message, NOT encrypted, instead of nothing
 */
record CmtpSettings(String host, int port, byte[] serverKey, Duration connectTimeout, Duration timeout,
                    String connectionFactory, String localAddress, boolean allowPlaintext) {

    static final String PREFIX = "mail." + CmtpTransport.PROTOCOL + ".";
    static final String PORT = PREFIX + "port";
    static final String SERVER_KEY = PREFIX + "serverkey";
    static final String TIMEOUT = PREFIX + "timeout";
    static final String CONNECTION_TIMEOUT = PREFIX + "connectiontimeout";
    static final String CONNECTION_FACTORY = PREFIX + "connectionfactory";
    static final String LOCAL_ADDRESS = PREFIX + "localaddress";
    static final String ALLOW_PLAINTEXT = PREFIX + "allowplaintext";
    static final int DEFAULT_PORT = DefaultPort.CMTP;
    static final int DEFAULT_TIMEOUT_MILLIS = 30_000;
    static final int DEFAULT_CONNECTION_TIMEOUT_MILLIS = 5_000;

    /**
     * @param host what {@code Service.connect} found ({@code mail.cmtp.host}, else {@code mail.host}), or null
     * @param port the port given to {@code connect}, or -1 for {@code mail.cmtp.port} (Jakarta
     *             Mail leaves reading that property to the transport)
     */
    static CmtpSettings read(Session session, String host, int port) throws MessagingException {
        if (port == -1 && blankToNull(session.getProperty(PORT)) != null) {
            try {
                port = Integer.parseInt(session.getProperty(PORT).strip());
            } catch (NumberFormatException e) {
                port = 0; // refused below
            }
        }
        if (port != -1 && (port < 1 || port > 65535)) {
            throw new MessagingException(PORT + " must be 1..65535, not " + (port == 0 ? "'" + session.getProperty(PORT)
                    + "'" : port));
        }
        String factory = blankToNull(session.getProperty(CONNECTION_FACTORY));
        return new CmtpSettings(host == null || host.isBlank() ? "localhost" : host.strip(),
                port == -1 ? DEFAULT_PORT : port,
                serverKey(session.getProperty(SERVER_KEY)),
                millis(session, CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT_MILLIS),
                millis(session, TIMEOUT, DEFAULT_TIMEOUT_MILLIS),
                factory,
                blankToNull(session.getProperty(LOCAL_ADDRESS)),
                flag(session, ALLOW_PLAINTEXT));
    }

    /** {@code true} or {@code false} (any case); unset is false; anything else is refused, not guessed. */
    static boolean flag(Session session, String property) throws MessagingException {
        String value = blankToNull(session.getProperty(property));
        if (value == null || value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        throw new MessagingException(property + " must be true or false, not '" + value + "'");
    }

    private static byte[] serverKey(String hex) throws MessagingException {
        if (blankToNull(hex) == null) {
            return null;
        }
        try {
            byte[] key = HexFormat.of().parseHex(hex.strip());
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new MessagingException(SERVER_KEY + " must be the server's public key as 64 hex digits (32 bytes)");
    }

    private static Duration millis(Session session, String property, int fallback) throws MessagingException {
        String value = blankToNull(session.getProperty(property));
        if (value == null) {
            return Duration.ofMillis(fallback);
        }
        try {
            int millis = Integer.parseInt(value.strip());
            if (millis >= 1) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MessagingException(property + " must be a number of milliseconds from 1 to " + Integer.MAX_VALUE
                + ", not '" + value + "'");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
