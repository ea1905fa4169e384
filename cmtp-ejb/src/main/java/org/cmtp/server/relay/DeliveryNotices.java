package org.cmtp.server.relay;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.crypto.Blake2b;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.mailbox.Mailbox;
import org.cmtp.server.mailbox.StoredMessage;
import org.cmtp.server.metrics.MessageLog;

/**
 * Tells a sender that a message could not be delivered (PROTOCOL.md §7): a version-0
 * (plaintext) message from this server's account — empty source account — to the
 * original sender, stored directly when the sender is local, queued otherwise. A notice
 * about a notice is never sent, so two servers cannot bounce mail back and forth.
 */
@Stateless
public class DeliveryNotices {

    private static final Logger LOG = Logger.getLogger(DeliveryNotices.class.getName());

    @EJB
    private RelayQueue queue;
    @EJB
    private AccountService accounts;
    @EJB
    private Mailbox mailbox;
    @Inject
    private CmtpConfiguration configuration;

    /** For the container, which injects the collaborators. */
    public DeliveryNotices() {
    }

    /** Outside a container (RelayWorkerDeliveryTest): notices queued on {@code queue}, stored in {@code mailbox}. */
    DeliveryNotices(RelayQueue queue, AccountService accounts, Mailbox mailbox, CmtpConfiguration configuration) {
        this.queue = queue;
        this.accounts = accounts;
        this.mailbox = mailbox;
        this.configuration = configuration;
    }

    public void undeliverable(QueuedMessage original, String reason) {
        LOG.warning(() -> "CMTP gave up on the message for " + original.recipient() + " from " + original.getSender()
                + ": " + reason);
        if (original.isNotice()) {
            return;
        }
        Optional<MailAddress> sender = senderOf(original);
        if (sender.isEmpty()) {
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MailAddress from = MailAddress.server(configuration.primaryDomain());
        String text = "Your message to " + original.recipient() + ", queued " + original.getQueued()
                + ", could not be delivered.\n\nReason: " + reason + "\nAttempts: " + original.getAttempts() + "\n";
        PlaintextBody body = new PlaintextBody("", "Undeliverable: message to " + original.recipient(),
                PlaintextBody.formatDate(now), List.of(), text);
        Message notice = new Message(Message.PLAINTEXT, sender.get(), from, "", body.encode(), List.of());
        byte[] raw = notice.encode();
        deliver(sender.get(), from, raw, now);
    }

    private void deliver(MailAddress to, MailAddress from, byte[] raw, Instant now) {
        try {
            byte[] stored = Message.appendLogLine(raw, now + " " + configuration.primaryDomain() + " accepted from "
                    + "localhost\n");
            if (configuration.isLocalDomain(to.domain())) {
                Optional<Account> account = accounts.find(to.account());
                if (account.isPresent()) {
                    long id = mailbox.store(new StoredMessage(account.get(), stored, from.toString(), now, "localhost",
                            Blake2b.hash512(raw)));
                    MessageLog.of(MessageLog.Kind.STORED).id(id).hash(Blake2b.hash512(raw))
                            .account(account.get().getName()).domain(configuration.primaryDomain()).from(from.toString())
                            .size(stored.length).with("notice", true).log();
                }
                return;
            }
            QueuedMessage queued = new QueuedMessage(stored, from.toString(), to.account(), to.domain(), now, true);
            long id = queue.enqueue(queued);
            MessageLog.of(MessageLog.Kind.QUEUED).id(id).hash(Blake2b.hash512(raw)).account(to.account())
                    .domain(queued.getRecipientDomain()).from(from.toString()).size(stored.length).with("notice", true)
                    .log();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "CMTP could not send a delivery notice to " + to, e);
        }
    }

    private static Optional<MailAddress> senderOf(QueuedMessage original) {
        String sender = original.getSender();
        int at = sender.lastIndexOf('@');
        if (at <= 0) {
            return Optional.empty(); // from a server account: nobody to tell
        }
        return Optional.of(new MailAddress(sender.substring(0, at), sender.substring(at + 1)));
    }
}
