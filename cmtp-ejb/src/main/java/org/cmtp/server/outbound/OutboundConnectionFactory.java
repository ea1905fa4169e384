package org.cmtp.server.outbound;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

import java.util.logging.Level;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Defines the application's pooled connections to this CMTP server, through the outbound
 * side of the {@code cmtp-ra} adapter, as {@value #JNDI_NAME}. Application code and the
 * server's own submission paths inject it with
 * {@code @Resource(lookup = "java:app/cmtp/ConnectionFactory") CmtpConnectionFactory cmtp;}.
 * Traffic to other domains does not use it: {@code RemoteServers} dials each domain's MX
 * with the plain client (ADR 0036).
 *
 * <p>{@code resourceAdapter = "cmtp-ra"} names the adapter as deployed on its own: on Payara
 * Micro the RAR is deployed first under the application name {@code cmtp-ra} (ADR 0002),
 * and Payara resolves a standalone adapter by its application name. Connection properties
 * (host, port, timeouts, pinned key) are left to the adapter's defaults, which follow the
 * server's own {@code cmtp.bind} / {@code cmtp.port}: the pool talks to this server.
 *
 * <p>Pool: no idle connections kept at start ({@code minPoolSize = 0}; Payara's default
 * would open 8 at once), idle ones closed after 60 s — well before the server's idle
 * timeout (300 s by default) would close them under the pool — and validated on checkout.
 *
 * <p>At start-up it looks the factory up once and logs the result, so an operator sees
 * whether applications can send.
 */
@ConnectionFactoryDefinition(
        name = OutboundConnectionFactory.JNDI_NAME,
        description = "Connections to this CMTP server (cmtp-ra outbound)",
        interfaceName = "org.cmtp.ra.api.CmtpConnectionFactory",
        resourceAdapter = "cmtp-ra",
        transactionSupport = TransactionSupportLevel.NoTransaction,
        minPoolSize = 0,
        maxPoolSize = 32,
        properties = {
            "org.glassfish.connector-connection-pool.idle-timeout-in-seconds=60",
            "org.glassfish.connector-connection-pool.is-connection-validation-required=true"
        })
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OutboundConnectionFactory {

    /** Where applications find the factory. */
    public static final String JNDI_NAME = "java:app/cmtp/ConnectionFactory";

    private static final Logger LOG = Logger.getLogger(OutboundConnectionFactory.class.getName());

    @PostConstruct
    void announce() {
        try {
            Object factory = new InitialContext().lookup(JNDI_NAME);
            LOG.info(() -> "CMTP outbound connection factory bound at " + JNDI_NAME + ": " + factory);
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP outbound connection factory " + JNDI_NAME + " is not available", e);
        }
    }
}
