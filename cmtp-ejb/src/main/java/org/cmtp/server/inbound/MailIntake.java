package org.cmtp.server.inbound;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.message.Message;
import org.cmtp.protocol.DomainNames;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.DeliveredMail;
import org.cmtp.ra.api.MailOutcome;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.server.mailbox.Mailbox;
import org.cmtp.server.mailbox.MailboxWriter;
import org.cmtp.server.mailbox.StoredMessage;
import org.cmtp.server.metrics.MessageLog;
import org.cmtp.server.metrics.MessageEvent;
import org.cmtp.server.metrics.ServerMeters;
import org.cmtp.server.metrics.TrafficRecorder;
import org.cmtp.server.persistence.CommitsToDisk;
import org.cmtp.server.relay.QueuedMessage;
import org.cmtp.server.relay.RelayQueue;

/**
 * Takes in one message, however it arrived (MAIL on the CMTP port, or a signed-in user's
 * submission through the user API): stores it for a local account, queues it for another
 * domain when the sender may relay, or refuses it, and answers with the signed status
 * (PROTOCOL.md §6). {@code SUCCESS} only once the message is durably stored: the
 * {@link MailboxWriter} and the relay queue return after their commit.
 */
@ApplicationScoped
public class MailIntake {

    private static final Logger LOG = Logger.getLogger(MailIntake.class.getName());

    @EJB
    private ServerIdentity identity;
    @EJB
    private AccountService accounts;
    @Inject
    private MailboxWriter mailbox;
    @EJB
    private Mailbox mailboxes;
    @EJB
    private RelayQueue relayQueue;
    @Inject
    private CommitsToDisk disk;
    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private ServerMeters meters;
    @Inject
    private TrafficRecorder traffic;

    /**
     * @param trusted whether this sender may send mail for other domains and as our own
     *                accounts: a client in {@code cmtp.relay-networks}, or a signed-in account
     *                holder (whose source account the user API has checked)
     */
    public MailOutcome accept(Message message, ClientInfo client, boolean trusted) {
        long started = System.nanoTime();
        MailOutcome outcome = handle(message, client, trusted);
        meters.timeMail(Duration.ofNanos(System.nanoTime() - started));
        traffic.count(MessageEvent.RECEIVED);
        MessageEvent event = switch (outcome.status().word()) {
            case SUCCESS -> outcome.localDelivery().isPresent() ? MessageEvent.STORED : MessageEvent.QUEUED;
            case DELIVERYFAILURE -> MessageEvent.REJECTED;
            default -> MessageEvent.FAILED;
        };
        traffic.record(event, message.source().toString(), message.destination().toString(),
                switch (event) {
                    case REJECTED -> "DELIVERYFAILURE: no such enabled account, mailbox over quota, relaying not allowed, or our domain"
                            + " as the source from outside cmtp.relay-networks";
                    case FAILED -> "FAILURE: could not be stored or queued";
                    default -> null;
                });
        return outcome;
    }

    private MailOutcome handle(Message message, ClientInfo client, boolean trusted) {
        byte[] receiptHash = message.hash512();
        if (!trusted && speaksForOurUsers(message, client)) {
            event(MessageLog.Kind.REFUSED, message, client, receiptHash).with("reason", "source-domain-is-ours").log();
            return MailOutcome.reply(status(StatusWord.DELIVERYFAILURE, receiptHash));
        }
        if (!configuration.isLocalDomain(message.destination().domain())) {
            // queued for another domain: a reply only, never handed to local applications
            return MailOutcome.reply(relay(message, client, trusted, receiptHash));
        }
        Optional<Account> account = accounts.findReadOnly(message.destination().account()).filter(Account::isEnabled);
        if (account.isEmpty()) {
            LOG.fine(() -> "CMTP no such account '" + message.destination().account() + "' (from " + client.remoteHost() + ")");
            event(MessageLog.Kind.REFUSED, message, client, receiptHash).with("reason", "no-such-account").log();
            return MailOutcome.reply(status(StatusWord.DELIVERYFAILURE, receiptHash));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String sender = message.source().toString();
        byte[] stored;
        long id;
        try {
            stored = message.withLogLine(logLine(now, client));
            String full = overQuota(account.get(), stored.length);
            if (full != null) {
                meters.countOverQuota();
                event(MessageLog.Kind.REFUSED, message, client, receiptHash).with("reason", "over-quota")
                        .with("quota", full).log();
                return MailOutcome.reply(status(StatusWord.DELIVERYFAILURE, receiptHash));
            }
            id = mailbox.store(new StoredMessage(account.get(), stored, sender, now, client.remoteHost(), receiptHash));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "CMTP could not store a message for " + account.get().getName()
                    + "; answering FAILURE so that the sender keeps it", e);
            event(MessageLog.Kind.FAILED, message, client, receiptHash).with("reason", "not-stored").log();
            return MailOutcome.reply(status(StatusWord.FAILURE, receiptHash));
        }
        String domain = message.destination().domain().isEmpty() ? configuration.primaryDomain()
                : DomainNames.canonical(message.destination().domain()); // "b.test." is b.test for applications too
        MessageLog.of(MessageLog.Kind.STORED).id(id).hash(receiptHash).account(account.get().getName()).domain(domain)
                .from(sender).size(stored.length).client(client.remoteHost()).log();
        return MailOutcome.delivered(status(StatusWord.SUCCESS, receiptHash),
                new DeliveredMail(account.get().getName(), domain, sender, stored, receiptHash, now, client, id));
    }

    /**
     * Which limit of the account's quota the message would exceed ({@code "bytes"} or
     * {@code "messages"}), or null when it fits or the account has none. Checked before the
     * message is stored, so messages arriving at the same moment may together go a little
     * over (each saw the mailbox before the others were stored).
     */
    private String overQuota(Account account, long size) {
        if (!account.hasQuota()) {
            return null;
        }
        Mailbox.Usage usage = mailboxes.usage(account);
        if (account.getQuotaMessages() != null && usage.messages() + 1 > account.getQuotaMessages()) {
            return "messages";
        }
        if (account.getQuotaBytes() != null && usage.bytes() + size > account.getQuotaBytes()) {
            return "bytes";
        }
        return null;
    }

    /**
     * PROTOCOL.md §7: a message whose source domain is one of ours is taken only from trusted
     * senders; anyone else claiming to write for our accounts (or as this server, the empty
     * account) is refused. The domain is compared in its canonical form, so {@code Example.ORG.}
     * is ours too. Our own delivery notices never come this way: they are stored or queued
     * directly (DeliveryNotices).
     */
    private boolean speaksForOurUsers(Message message, ClientInfo client) {
        String sourceDomain = DomainNames.canonical(message.source().domain());
        if (!configuration.isLocalDomain(sourceDomain)) {
            return false;
        }
        LOG.fine(() -> "CMTP refused a message from " + message.source().account() + "@" + sourceDomain + " sent by "
                + client.remoteHost() + ": the source domain is ours and the client is not in cmtp.relay-networks");
        return true;
    }

    /** Mail for another domain: queued when the sender may relay through us, refused otherwise (never an open relay). */
    private SignedStatus relay(Message message, ClientInfo client, boolean mayRelay, byte[] receiptHash) {
        if (!mayRelay) {
            LOG.fine(() -> "CMTP refused to relay to " + message.destination() + " for " + client.remoteHost()
                    + " (not in cmtp.relay-networks)");
            event(MessageLog.Kind.REFUSED, message, client, receiptHash).with("reason", "relay-not-allowed").log();
            return status(StatusWord.DELIVERYFAILURE, receiptHash);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            byte[] stored = message.withLogLine(logLine(now, client));
            QueuedMessage queued = new QueuedMessage(stored, message.source().toString(),
                    message.destination().account(), message.destination().domain(), now, message.source().isServer());
            long id = relayQueue.enqueue(queued);
            disk.force();
            MessageLog.of(MessageLog.Kind.QUEUED).id(id).hash(receiptHash).account(queued.getRecipientAccount())
                    .domain(queued.getRecipientDomain()).from(queued.getSender()).size(stored.length)
                    .client(client.remoteHost()).log();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "CMTP could not queue a message for " + message.destination()
                    + "; answering FAILURE so that the sender keeps it", e);
            event(MessageLog.Kind.FAILED, message, client, receiptHash).with("reason", "not-queued").log();
            return status(StatusWord.FAILURE, receiptHash);
        }
        return status(StatusWord.SUCCESS, receiptHash);
    }

    /** A message event without a stored id: who it was for and from, its size as sent. */
    private static MessageLog event(MessageLog.Kind kind, Message message, ClientInfo client, byte[] receiptHash) {
        String domain = message.destination().domain();
        return MessageLog.of(kind).hash(receiptHash).account(message.destination().account())
                .domain(domain.isEmpty() ? domain : DomainNames.canonical(domain)).from(message.source().toString())
                .size(message.encodedLength()).client(client.remoteHost());
    }

    private SignedStatus status(StatusWord word, byte[] context) {
        return new SignedStatus(word, identity.sign(SignedStatus.bytesToSign(word, context)));
    }

    /** PROTOCOL.md §6: "2026-11-28T16:00:00Z example.org accepted from 192.0.2.7\n". */
    private String logLine(Instant now, ClientInfo client) {
        return now + " " + configuration.primaryDomain() + " accepted from " + client.remoteHost() + "\n";
    }
}
