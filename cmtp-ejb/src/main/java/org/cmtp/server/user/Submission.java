package org.cmtp.server.user;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import org.cmtp.message.Message;
import org.cmtp.protocol.DomainNames;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.DeliveredMail;
import org.cmtp.ra.api.LocalDeliveries;
import org.cmtp.ra.api.MailOutcome;
import org.cmtp.server.account.Account;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.inbound.MailIntake;
import org.cmtp.server.outbound.OutboundConnectionFactory;

/**
 * Authenticated submission (README "Users"): a signed-in account holder hands in a message
 * in the wire format of PROTOCOL.md §6, sealed on their own device. It must come from their
 * own account at one of this server's domains; then it is taken in like MAIL from a trusted
 * client — stored for a local recipient or queued for another domain, from whatever network
 * the holder is on (PROTOCOL.md §7 allows the server's own authenticated submission path) —
 * and answered with the signed status, a receipt when it is {@code SUCCESS}. Stored mail is
 * handed to the applications listening for its account, as MAIL is.
 */
@ApplicationScoped
public class Submission {

    private static final Logger LOG = Logger.getLogger(Submission.class.getName());

    @Inject
    private MailIntake intake;
    /** Resolved at the first local submission; a failed lookup is tried again the next time. */
    private volatile Optional<LocalDeliveries> localDeliveries;
    @Inject
    private CmtpConfiguration configuration;

    /**
     * @throws UserAccessException INVALID for a malformed message or another source account
     */
    public SignedStatus submit(Account account, byte[] raw, InetAddress client) {
        Message message;
        try {
            message = Message.decode(raw, ProtocolLimits.DEFAULTS
                    .withMaxMessageBytes((int) Math.min(Integer.MAX_VALUE, configuration.maxMessageSize()))
                    .withMaxAttachments(configuration.maxAttachments()));
        } catch (ProtocolException e) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "message",
                    "not a CMTP message (PROTOCOL.md section 6): " + e.getMessage());
        }
        String sourceDomain = DomainNames.canonical(message.source().domain());
        if (!message.source().account().equals(account.getName()) || sourceDomain.isEmpty()
                || !configuration.isLocalDomain(sourceDomain)) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "message",
                    "the message's source is " + message.source() + ", not your account " + account.getName()
                            + " at a domain of this server");
        }
        ClientInfo from = new ClientInfo(client, 0, client, 0);
        MailOutcome outcome = intake.accept(message, from, true);
        if (outcome.delivery() != null) {
            announce(outcome.delivery());
        }
        return outcome.status();
    }

    /**
     * Hands a locally stored submission to the applications listening for its account, as the
     * adapter does for MAIL, through the server's connection factory ({@link LocalDeliveries}).
     * The mail is in the mailbox either way; without the factory only listeners miss it.
     */
    private void announce(DeliveredMail delivered) {
        try {
            LocalDeliveries deliveries = localDeliveries();
            if (deliveries != null) {
                deliveries.announce(delivered);
            }
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP could not hand submitted message " + delivered.mailboxId() + " for account '"
                    + delivered.account() + "' to the applications' listeners", e);
        }
    }

    /** The server's connection factory as {@link LocalDeliveries}, looked up once (null if it is not one). */
    private LocalDeliveries localDeliveries() throws NamingException {
        if (localDeliveries == null) {
            Object factory = new InitialContext().lookup(OutboundConnectionFactory.JNDI_NAME);
            localDeliveries = factory instanceof LocalDeliveries deliveries ? Optional.of(deliveries) : Optional.empty();
        }
        return localDeliveries.orElse(null);
    }
}
