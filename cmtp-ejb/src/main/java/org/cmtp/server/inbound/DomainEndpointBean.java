package org.cmtp.server.inbound;

import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.message.Message;
import org.cmtp.protocol.BoundKeyReply;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.DomainNames;
import org.cmtp.protocol.KeyBinding;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.LoginReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.CmtpRequestListener;
import org.cmtp.ra.api.DeliveredMail;
import org.cmtp.ra.api.MailOutcome;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.federation.KeyDirectory;
import org.cmtp.server.relay.QueuedMessage;
import org.cmtp.server.relay.RelayQueue;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.server.mailbox.Mailbox;
import org.cmtp.server.mailbox.MailboxWriter;
import org.cmtp.server.mailbox.StoredMessage;
import org.cmtp.server.metrics.ServerMetrics;
import org.cmtp.server.metrics.ServerMetrics.Event;
import org.cmtp.server.persistence.CommitsToDisk;

/**
 * The domain's side of the CMTP listener: answers KEYREQUEST, LOGIN and MAIL from the
 * database. The resource adapter calls it for every such command; the listening
 * address and limits come from the server configuration (see {@code CmtpActivationSpec}).
 *
 * <p>Transactions are demarcated by the services it calls, not here: {@link MailboxWriter#store}
 * returns once the message is committed (in {@link Mailbox}), and only then does this bean
 * sign a {@code SUCCESS} receipt.
 *
 * <p>No {@code resourceAdapter} activation property: the adapter's name differs by
 * packaging ({@code cmtp-ra} deployed alone on Payara Micro, {@code cmtp#cmtp-ra} inside
 * the EAR on Payara Server), and Payara binds an MDB that names none to the one adapter
 * offering its listener type. WildFly ignores the property anyway and takes the binding
 * from {@code META-INF/jboss-ejb3.xml} (ADR 0011).
 */
@MessageDriven(messageListenerInterface = CmtpRequestListener.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DomainEndpointBean implements CmtpRequestListener {

    private static final Logger LOG = Logger.getLogger(DomainEndpointBean.class.getName());

    @EJB
    private ServerIdentity identity;
    @EJB
    private AccountService accounts;
    @Inject
    private MailboxWriter mailbox;
    @EJB
    private RelayQueue relayQueue;
    @Inject
    private CommitsToDisk disk;
    @Inject
    private KeyDirectory keys;
    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private ServerMetrics metrics;
    @Inject
    private LoginRateLimiter loginLimiter;
    @Inject
    private ForeignKeyRequestLimiter foreignKeyRequests;

    /** Local keys from the database; another domain's keys relayed from its pinned server, signed by ours. */
    @Override
    public Reply keyRequest(Command.KeyRequest request, ClientInfo client) {
        if (!request.user().isEmpty() && !foreignKeyRequests.allows(request.domain(), client)) {
            return status(StatusWord.KEYNOTAVAILABLE, new byte[0]); // cmtp.foreign-key-rate
        }
        if (request.user().isEmpty()) {
            return keyReply(identity.publicKey());
        }
        return keys.publicKey(request.user(), request.domain())
                .<Reply>map(this::keyReply)
                .orElseGet(() -> status(StatusWord.KEYNOTAVAILABLE, new byte[0]));
    }

    /**
     * Address-bound keys (PROTOCOL.md §4a): the same keys as {@link #keyRequest}, each signed
     * together with the question (user as sent, domain in canonical form), so that no reply
     * can be replayed for another address.
     */
    @Override
    public Reply keyBind(Command.KeyBind request, ClientInfo client) {
        if (!request.isForServer() && !foreignKeyRequests.allows(request.domain(), client)) { // cmtp.foreign-key-rate
            return new SignedStatus(StatusWord.KEYNOTAVAILABLE, identity.sign(KeyBinding.statusBytesToSign(
                    StatusWord.KEYNOTAVAILABLE, request.user(), request.domain())));
        }
        Optional<byte[]> key = request.isForServer() ? Optional.of(identity.publicKey())
                : keys.publicKey(request.user(), DomainNames.canonical(request.domain()));
        return key.<Reply>map(k -> new BoundKeyReply(k, identity.sign(request.bytesToSign(k))))
                .orElseGet(() -> new SignedStatus(StatusWord.KEYNOTAVAILABLE, identity.sign(
                        KeyBinding.statusBytesToSign(StatusWord.KEYNOTAVAILABLE, request.user(), request.domain()))));
    }

    @Override
    public Reply login(Command.Login request, ClientInfo client) {
        if (!loginLimiter.allows(client)) {
            LOG.info(() -> "CMTP LOGIN refused for " + client.remoteHost() + ": more than cmtp.login-rate per minute");
            return status(StatusWord.FAILURE, new byte[0]);
        }
        Optional<Account> account = accounts.findReadOnly(request.user()).filter(Account::isEnabled);
        if (account.isEmpty()) {
            return status(StatusWord.FAILURE, new byte[0]);
        }
        byte[] xzibit = account.get().getXzibit();
        return new LoginReply(xzibit, identity.sign(xzibit));
    }

    /**
     * Stores the message for a local account, or refuses it. A stored message is reported
     * back as a {@link MailOutcome#delivered local delivery}, with the exact stored bytes and
     * mailbox id, so that the adapter hands it to applications listening for the account.
     */
    @Override
    public MailOutcome mail(Command.Mail mail, ClientInfo client) {
        long started = System.nanoTime();
        MailOutcome outcome = handleMail(mail, client);
        metrics.timeMail(Duration.ofNanos(System.nanoTime() - started));
        metrics.count(Event.RECEIVED);
        Event event = switch (outcome.status().word()) {
            case SUCCESS -> outcome.localDelivery().isPresent() ? Event.STORED : Event.QUEUED;
            case DELIVERYFAILURE -> Event.REJECTED;
            default -> Event.FAILED;
        };
        metrics.count(event, mail.message().source().toString(), mail.message().destination().toString(),
                switch (event) {
                    case REJECTED -> "DELIVERYFAILURE: no such enabled account, or relaying not allowed";
                    case FAILED -> "FAILURE: could not be stored or queued";
                    default -> null;
                });
        return outcome;
    }

    private MailOutcome handleMail(Command.Mail mail, ClientInfo client) {
        Message message = mail.message();
        byte[] receiptHash = message.hash512();
        if (!configuration.isLocalDomain(message.destination().domain())) {
            // queued for another domain: a reply only, never handed to local applications
            return MailOutcome.reply(relay(mail, client, receiptHash));
        }
        Optional<Account> account = accounts.findReadOnly(message.destination().account()).filter(Account::isEnabled);
        if (account.isEmpty()) {
            LOG.info(() -> "CMTP no such account '" + message.destination().account() + "' (from " + client.remoteHost() + ")");
            return MailOutcome.reply(status(StatusWord.DELIVERYFAILURE, receiptHash));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String sender = message.source().toString();
        byte[] stored;
        long id;
        try {
            stored = message.withLogLine(logLine(now, client));
            id = mailbox.store(new StoredMessage(account.get(), stored, sender, now, client.remoteHost(), receiptHash));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "CMTP could not store a message for " + account.get().getName()
                    + "; answering FAILURE so that the sender keeps it", e);
            return MailOutcome.reply(status(StatusWord.FAILURE, receiptHash));
        }
        String domain = message.destination().domain().isEmpty() ? configuration.primaryDomain()
                : message.destination().domain().toLowerCase(Locale.ROOT);
        return MailOutcome.delivered(status(StatusWord.SUCCESS, receiptHash),
                new DeliveredMail(account.get().getName(), domain, sender, stored, receiptHash, now, client, id));
    }

    /** Mail for another domain: queued when the client may relay through us, refused otherwise (never an open relay). */
    private SignedStatus relay(Command.Mail mail, ClientInfo client, byte[] receiptHash) {
        Message message = mail.message();
        if (!configuration.relayNetworks().allows(client.remoteAddress())) {
            LOG.info(() -> "CMTP refused to relay to " + message.destination() + " for " + client.remoteHost()
                    + " (not in cmtp.relay-networks)");
            return status(StatusWord.DELIVERYFAILURE, receiptHash);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            byte[] stored = message.withLogLine(logLine(now, client));
            relayQueue.enqueue(new QueuedMessage(stored, message.source().toString(), message.destination().account(),
                    message.destination().domain(), now, message.source().isServer()));
            disk.force();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "CMTP could not queue a message for " + message.destination()
                    + "; answering FAILURE so that the sender keeps it", e);
            return status(StatusWord.FAILURE, receiptHash);
        }
        return status(StatusWord.SUCCESS, receiptHash);
    }

    @Override
    public SignedStatus status(StatusWord word, byte[] context) {
        return new SignedStatus(word, identity.sign(SignedStatus.bytesToSign(word, context)));
    }

    private KeyReply keyReply(byte[] publicKey) {
        return new KeyReply(publicKey, identity.sign(publicKey));
    }

    /** PROTOCOL.md §6: "2026-11-28T16:00:00Z example.org accepted from 192.0.2.7\n". */
    private String logLine(Instant now, ClientInfo client) {
        return now + " " + configuration.primaryDomain() + " accepted from " + client.remoteHost() + "\n";
    }
}
