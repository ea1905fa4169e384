package org.cmtp.server.smtp;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

import org.cmtp.server.config.CmtpConfiguration;

/**
 * The inbound SMTP gateway (README "Living beside SMTP", ADR 0029): an SMTP listener
 * (SubEthaSMTP) meant to sit behind the domain's own MTA, which hands it mail for CMTP
 * accounts. Off unless {@code cmtp.smtp-gateway} is true, and on loopback unless
 * {@code cmtp.smtp-gateway-bind} says otherwise. Unknown or disabled recipients and other
 * domains are refused at {@code RCPT TO} with 550; the size limit is advertised and
 * enforced at {@code DATA} (552); {@code 250} only after the message is sealed, committed
 * and on the disk ({@link GatewayDelivery}); a failure to store is a 451, which the MTA retries.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator") // the schema is current before mail is stored
public class SmtpGateway {

    private static final Logger LOG = Logger.getLogger(SmtpGateway.class.getName());

    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private GatewayDelivery delivery;
    /**
     * Sessions run on container threads: on a plain thread of the library's own the beans
     * they call have no naming context (their {@code @EJB} fields stay null).
     */
    @jakarta.annotation.Resource
    private jakarta.enterprise.concurrent.ManagedThreadFactory threads;
    private java.util.concurrent.ExecutorService sessions;

    private SMTPServer server;

    @PostConstruct
    void start() {
        if (!configuration.smtpGateway()) {
            LOG.info("CMTP SMTP gateway off (cmtp.smtp-gateway)");
            return;
        }
        long limit = configuration.smtpGatewayMaxMessageSize();
        int maxSize = (int) Math.min(Integer.MAX_VALUE - 1, limit == 0 ? Integer.MAX_VALUE - 1 : limit);
        delivery.prepare();
        sessions = java.util.concurrent.Executors.newCachedThreadPool(threads);
        server = SMTPServer.port(configuration.smtpGatewayPort())
                .bindAddress(configuration.smtpGatewayBind())
                .hostName(configuration.primaryDomain())
                .softwareName("CMTP SMTP gateway")
                .maxMessageSize(maxSize)
                .maxRecipients(100)
                .maxConnections(50)
                .connectionTimeout(300, java.util.concurrent.TimeUnit.SECONDS)
                .serverThreadName("cmtp-smtp-gateway")
                .executorService(sessions)
                .messageHandlerFactory(context -> new Handler(context, maxSize))
                .build();
        server.start();
        LOG.info(() -> "CMTP SMTP gateway listening on " + configuration.smtpGatewayBind().getHostAddress() + ":"
                + configuration.smtpGatewayPort() + " (SIZE " + maxSize + "); mail is sealed on arrival, not end to end");
    }

    @PreDestroy
    void stop() {
        if (server != null) {
            server.stop();
            sessions.shutdownNow();
            LOG.info("CMTP SMTP gateway stopped");
        }
    }

    /** One mail transaction. */
    private final class Handler implements MessageHandler {
        private final String client;
        private final int maxSize;
        private String from;
        private final List<GatewayDelivery.Recipient> recipients = new ArrayList<>();

        Handler(MessageContext context, int maxSize) {
            SocketAddress remote = context.getRemoteAddress();
            this.client = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : String.valueOf(remote);
            this.maxSize = maxSize;
        }

        @Override
        public void from(String from) {
            this.from = from;
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            try {
                recipients.add(delivery.recipient(recipient));
            } catch (GatewayDelivery.Refused e) {
                throw new RejectException(e.code(), e.getMessage());
            }
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            byte[] raw = data.readNBytes(maxSize + 1);
            if (raw.length > maxSize) {
                data.transferTo(java.io.OutputStream.nullOutputStream()); // to the final dot, then the reply
                throw new RejectException(552, "5.3.4 message larger than this gateway's limit of " + maxSize
                        + " bytes (cmtp.smtp-gateway-max-message-size)");
            }
            try {
                delivery.deliver(from, List.copyOf(recipients), raw, client);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "CMTP SMTP gateway answered 451 for a message from " + client, e);
                throw new RejectException(451, "4.3.0 could not be stored now; try again later");
            }
            return null;
        }

        @Override
        public void done() {
        }
    }
}
