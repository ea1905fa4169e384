package org.cmtp.server.smtp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.CryptoSystem;
import org.cmtp.crypto.CryptoSystems;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.protocol.DomainNames;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.mailbox.MailboxWriter;
import org.cmtp.server.mailbox.StoredMessage;
import org.cmtp.server.metrics.MessageEvent;
import org.cmtp.server.metrics.TrafficRecorder;

/**
 * What the SMTP gateway does with mail from the SMTP world (README "Living beside SMTP"):
 * checks each recipient at {@code RCPT TO} (an enabled account at one of our domains, or
 * 550; never a relay), and after {@code DATA} seals the message to each recipient's key
 * and stores it like any CMTP message, marked as arrived by SMTP. Returns only after the
 * commit is on the disk ({@link MailboxWriter}), so the listener answers {@code 250} only
 * for stored mail.
 */
@ApplicationScoped
public class GatewayDelivery {

    private static final Logger LOG = Logger.getLogger(GatewayDelivery.class.getName());
    /** The start of every 550 for a recipient we do not have: Postfix bounces with it. */
    public static final String NO_SUCH_ACCOUNT = "5.1.1 no such CMTP account here";
    public static final String NOT_OURS = "5.7.1 relaying denied: not a domain of this CMTP server";
    /** Source of a message whose envelope sender is empty (a bounce) or not a CMTP address. */
    static final MailAddress UNKNOWN_SENDER = new MailAddress("mailer-daemon", "smtp.invalid");

    /** By CDI: {@code @EJB} was left null in this bean when it was first used from the gateway's threads. */
    @Inject
    private AccountService accounts;
    @Inject
    private MailboxWriter mailbox;
    @Inject
    private CmtpConfiguration configuration;
    @Inject
    private TrafficRecorder traffic;

    /**
     * Makes the beans the gateway calls now, on the container's startup thread: a bean first
     * made on a gateway session's thread was left without its {@code @EJB} fields
     * ({@code MailboxWriter}'s mailbox), so every message got 451.
     */
    void prepare() {
        mailbox.toString();
        accounts.toString();
        traffic.toString();
    }

    /** A recipient the gateway takes: its account and the domain it was written with. */
    public record Recipient(Account account, String domain) {
    }

    /**
     * The account {@code address} names, or the reason to refuse it (an SMTP reply text
     * without the code): not one of our domains (never an open relay), or no enabled account.
     */
    public Recipient recipient(String address) throws Refused {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new Refused(553, "5.1.3 not an address: <" + printable(address) + ">");
        }
        String local = address.substring(0, at);
        String domain;
        try {
            domain = DomainNames.canonical(address.substring(at + 1));
        } catch (RuntimeException e) {
            throw new Refused(553, "5.1.3 not a domain: <" + printable(address) + ">");
        }
        if (domain.isEmpty() || !configuration.isLocalDomain(domain)) {
            LOG.info(() -> "CMTP SMTP gateway refused recipient <" + printable(address) + ">: not our domain");
            throw new Refused(550, NOT_OURS);
        }
        try {
            MailAddress.validateName("account", local);
        } catch (InvalidAddressException e) {
            throw new Refused(550, NO_SUCH_ACCOUNT + ": <" + printable(address) + ">");
        }
        Optional<Account> account = accounts.findReadOnly(local).filter(Account::isEnabled);
        if (account.isEmpty()) {
            account = accounts.findReadOnly(local.toLowerCase(Locale.ROOT)).filter(Account::isEnabled);
        }
        if (account.isEmpty()) {
            LOG.info(() -> "CMTP SMTP gateway refused recipient <" + printable(address) + ">: no such enabled account");
            throw new Refused(550, NO_SUCH_ACCOUNT + ": <" + printable(address) + ">");
        }
        return new Recipient(account.get(), domain);
    }

    /**
     * Seals {@code raw} to each recipient's key and stores it; returns once every copy is
     * committed and on the disk.
     *
     * @throws RuntimeException when a copy could not be stored (the caller answers 451, and
     *                          the sending MTA keeps the message and tries again)
     */
    public void deliver(String envelopeFrom, List<Recipient> recipients, byte[] raw, String client) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MailAddress source = source(envelopeFrom);
        SmtpToCmtp.Converted converted = SmtpToCmtp.convert(raw, now);
        CryptoSystem sealed = CryptoSystems.forVersion(Message.SEALED);
        byte[] plainBody = converted.body().encode();
        for (Recipient recipient : recipients) {
            Account account = recipient.account();
            LOG.info(() -> "CMTP SMTP gateway sealing a message of " + raw.length + " bytes from <"
                    + printable(envelopeFrom) + "> for " + account.getName() + " (client " + client + ")");
            byte[] key = account.getPublicKey();
            List<byte[]> attachments = converted.attachments().stream()
                    .map(Attachment::encode).map(blob -> sealed.seal(blob, key)).toList();
            Message message = new Message(Message.SEALED, new MailAddress(account.getName(), recipient.domain()),
                    source, "", sealed.seal(plainBody, key), attachments);
            byte[] wire = message.encode();
            byte[] stored = message.withLogLine(now + " " + configuration.primaryDomain()
                    + " accepted by SMTP gateway from " + client + " (sealed on arrival)\n");
            try {
                long id = mailbox.store(new StoredMessage(account, stored, source.toString(), now, client,
                        Blake2b.hash512(wire)).arrivedBySmtp());
                LOG.info(() -> "CMTP SMTP gateway stored message " + id + " for " + account.getName());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "CMTP SMTP gateway could not store a message for " + account.getName()
                        + "; answering 451 so that the sending MTA keeps it", e);
                traffic.record(MessageEvent.FAILED, source.toString(), account.getName() + "@" + recipient.domain(),
                        "SMTP gateway: could not be stored");
                throw e;
            }
            traffic.record(MessageEvent.STORED, source.toString(), account.getName() + "@" + recipient.domain(),
                    null);
        }
    }

    /** The envelope sender as the CMTP source; {@link #UNKNOWN_SENDER} for {@code <>} or an address CMTP cannot carry. */
    static MailAddress source(String envelopeFrom) {
        if (envelopeFrom == null || envelopeFrom.isBlank()) {
            return UNKNOWN_SENDER;
        }
        try {
            MailAddress address = MailAddress.parse(envelopeFrom.trim());
            return address.domain().isEmpty() ? UNKNOWN_SENDER : address;
        } catch (InvalidAddressException | RuntimeException e) {
            return UNKNOWN_SENDER;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 300 ? s.substring(0, 300) : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A refusal with its SMTP reply code. */
    public static final class Refused extends Exception {
        private final int code;

        Refused(int code, String text) {
            super(text);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
