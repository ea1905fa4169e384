package org.cmtp.mail;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cmtp.client.MailSendException;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.message.MailAddress;
import org.cmtp.wire.InvalidAddressException;

/**
 * A Jakarta Mail transport for the protocol {@code cmtp}: a MIME message becomes one
 * sealed CMTP message per recipient, sent through the sender's home server (README,
 * "Sending from Jakarta Mail applications"; ADR 0026).
 *
 * <p><b>Mapping.</b> From (else {@code mail.from}) is the source account; every address
 * given to {@link #sendMessage} (To, Cc and Bcc for {@code Transport.send}) gets a message
 * of its own, sealed to its key, asked for with {@code KEYBIND} (PROTOCOL.md §4a) where the
 * server speaks it. Every message carries the same body: Subject, the first Reply-To
 * address, the Cc addresses as its carbon-copy list — Bcc addresses are never in it — and
 * the text and attachments of {@link MimeContent}. With {@code mail.cmtp.allowplaintext=true}
 * a recipient without a key gets the message in plaintext (version 0, NOT encrypted; over
 * SMTP if its domain has no CMTP server) instead of nothing.
 *
 * <p><b>Results</b>, per Jakarta Mail's contract: a {@link TransportEvent} (delivered, not
 * delivered, partially delivered) to the listeners, and a {@link SendFailedException} unless
 * every recipient was sent to. Its valid-sent addresses got a signed receipt; invalid ones
 * are no CMTP mailbox or have no key ({@code KEYNOTAVAILABLE}); valid-unsent ones were
 * refused ({@code DELIVERYFAILURE}, {@code FAILURE}) or not reached because the connection
 * failed. Its message names each failed address and why; {@link SendFailedException#getNextException()}
 * chains one exception per failed address, then the connection failure if any.
 *
 * <p><b>Routes.</b> With {@code mail.cmtp.connectionfactory} set, through the cmtp-ra
 * adapter's pooled connections ({@link PooledRoute}); otherwise over a connection of its
 * own to {@code mail.cmtp.host:mail.cmtp.port} ({@link DirectRoute}).
 */
public class CmtpTransport extends Transport {

    public static final String PROTOCOL = "cmtp";

    private static final String NO_KEY = "no key (KEYNOTAVAILABLE): no such account, or its domain's server"
            + " could not be reached or verified";

    private Route route;
    /** {@code mail.cmtp.allowplaintext}, read at connect. */
    private boolean allowPlaintext;

    public CmtpTransport(Session session, URLName urlname) {
        super(session, urlname);
    }

    /** Connects: user and password are not used, a CMTP client needs none to send. */
    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password)
            throws MessagingException {
        CmtpSettings settings = CmtpSettings.read(session, host, port);
        allowPlaintext = settings.allowPlaintext();
        route = settings.connectionFactory() != null ? pooled(settings.connectionFactory()) : DirectRoute.connect(settings);
        return true;
    }

    private static Route pooled(String name) throws MessagingException {
        try {
            return PooledRoute.lookup(name);
        } catch (LinkageError e) {
            throw new MessagingException(CmtpSettings.CONNECTION_FACTORY + " needs the cmtp-ra adapter's classes"
                    + " (org.cmtp.ra.api, jakarta.resource): set it only inside the server's container", null);
        }
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        if (!isConnected() || route == null) {
            throw new IllegalStateException("the CMTP transport is not connected");
        }
        if (!(message instanceof MimeMessage mime)) {
            throw new MessagingException("the CMTP transport sends jakarta.mail.internet.MimeMessage, not "
                    + (message == null ? "null" : message.getClass().getName()));
        }
        Address[] all = addresses == null ? new Address[0] : addresses.clone();
        Map<MailAddress, List<Address>> recipients = new LinkedHashMap<>();
        List<Address> invalid = new ArrayList<>();
        List<MessagingException> reasons = new ArrayList<>();
        for (Address address : all) {
            try {
                recipients.computeIfAbsent(mailbox(address), a -> new ArrayList<>()).add(address);
            } catch (NotAMailbox e) {
                invalid.add(address);
                reasons.add(new SendFailedException(describe(address) + ": not a CMTP mailbox (" + e.getMessage() + ")",
                        null, null, null, new Address[] {address}));
            }
        }
        OutgoingMail mail;
        try {
            MimeContent content = MimeContent.of(mime);
            mail = new OutgoingMail(from(mime), List.copyOf(recipients.keySet()), subject(mime), content.text(),
                    replyTo(mime), carbonCopies(mime), content.attachments());
            // a Subject or Reply-To over 255 UTF-8 bytes is refused here, before anybody is sent anything
            MailSender.body(mail, Instant.now());
        } catch (MessagingException | IOException | IllegalArgumentException e) {
            if (recipients.isEmpty() && e instanceof IllegalArgumentException) {
                throw finish(message, "no recipient is a CMTP mailbox", List.of(), List.of(), invalid, reasons, null);
            }
            // the message itself cannot be sent: nobody got it
            List<Address> unsent = new ArrayList<>();
            recipients.values().forEach(unsent::addAll);
            throw finish(message, "cannot send this message with CMTP: " + e.getMessage(), List.of(), unsent, invalid,
                    reasons, e);
        }

        List<Receipt> receipts;
        MessagingException broken = null;
        String stopped = null;
        try {
            receipts = route.send(mail, allowPlaintext);
        } catch (MailSendException e) {
            receipts = e.completed();
            stopped = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            broken = new MessagingException("CMTP sending stopped after " + receipts.size() + " recipient(s): "
                    + stopped, e);
            route.close(); // the next message starts on a new connection
        } catch (MessagingException e) {
            receipts = List.of();
            stopped = e.getMessage();
            broken = e;
        }

        List<Address> sent = new ArrayList<>();
        List<Address> unsent = new ArrayList<>();
        int index = 0;
        for (Map.Entry<MailAddress, List<Address>> recipient : recipients.entrySet()) {
            List<Address> as = recipient.getValue();
            Receipt receipt = index < receipts.size() ? receipts.get(index) : null;
            index++;
            if (receipt == null) {
                unsent.addAll(as);
                reasons.add(new SendFailedException(recipient.getKey() + ": not sent (" + stopped + ")",
                        null, null, as.toArray(Address[]::new), null));
                continue;
            }
            switch (receipt.status()) {
                case SUCCESS -> sent.addAll(as);
                case KEYNOTAVAILABLE -> {
                    invalid.addAll(as);
                    reasons.add(new SendFailedException(recipient.getKey() + ": " + NO_KEY, null, null, null,
                            as.toArray(Address[]::new)));
                }
                case DELIVERYFAILURE -> {
                    unsent.addAll(as);
                    reasons.add(new SendFailedException(recipient.getKey() + ": the server refused the message"
                            + " (DELIVERYFAILURE): no such local account, relaying not allowed for this client,"
                            + " or not enough proof of work", null, null, as.toArray(Address[]::new), null));
                }
                case FAILURE -> {
                    unsent.addAll(as);
                    reasons.add(new SendFailedException(recipient.getKey() + ": the server refused the request"
                            + " (FAILURE)", null, null, as.toArray(Address[]::new), null));
                }
            }
        }
        if (!unsent.isEmpty() || !invalid.isEmpty() || broken != null) {
            throw finish(message, summary(sent.size(), all.length), sent, unsent, invalid, reasons, broken);
        }
        notifyTransportListeners(TransportEvent.MESSAGE_DELIVERED, sent.toArray(Address[]::new), new Address[0],
                new Address[0], message);
    }

    @Override
    public synchronized void close() throws MessagingException {
        if (route != null) {
            route.close();
            route = null;
        }
        super.close();
    }

    private static String summary(int sent, int of) {
        return "CMTP sent " + sent + " of " + of + " recipient(s)";
    }

    /** Tells the listeners and builds the exception for a send that did not reach everybody. */
    private SendFailedException finish(Message message, String what, List<Address> sent, List<Address> unsent,
                                       List<Address> invalid, List<MessagingException> reasons, Exception cause) {
        Address[] validSent = sent.toArray(Address[]::new);
        Address[] validUnsent = unsent.toArray(Address[]::new);
        Address[] invalidAddresses = invalid.toArray(Address[]::new);
        int type = validSent.length == 0 ? TransportEvent.MESSAGE_NOT_DELIVERED : TransportEvent.MESSAGE_PARTIALLY_DELIVERED;
        notifyTransportListeners(type, validSent, validUnsent, invalidAddresses, message);
        StringBuilder text = new StringBuilder(what);
        for (MessagingException reason : reasons) {
            text.append("; ").append(reason.getMessage());
        }
        if (cause != null && reasons.isEmpty()) {
            text.append("; ").append(cause.getMessage());
        }
        MessagingException chain = null;
        for (int i = reasons.size() - 1; i >= 0; i--) {
            MessagingException reason = reasons.get(i);
            if (chain != null) {
                reason.setNextException(chain);
            } else if (cause != null) {
                reason.setNextException(cause);
            }
            chain = reason;
        }
        return new SendFailedException(text.toString(), chain != null ? chain : cause, validSent, validUnsent,
                invalidAddresses);
    }

    /** An address that is no {@code account@domain} CMTP can send to; the message says why. */
    private static final class NotAMailbox extends Exception {
        private static final long serialVersionUID = 1L;

        NotAMailbox(String why) {
            super(why, null, false, false);
        }
    }

    /** @return the address as written in the message, without display name */
    private static String describe(Address address) {
        return address instanceof InternetAddress internet && internet.getAddress() != null ? internet.getAddress()
                : String.valueOf(address);
    }

    private static MailAddress mailbox(Address address) throws NotAMailbox {
        if (!(address instanceof InternetAddress internet)) {
            throw new NotAMailbox("a " + (address == null ? "null" : address.getType()) + " address, not an Internet one");
        }
        if (internet.isGroup()) {
            throw new NotAMailbox("a group: list its members instead");
        }
        String text = internet.getAddress();
        try {
            return MailAddress.parse(text == null ? "" : text);
        } catch (InvalidAddressException e) {
            throw new NotAMailbox(e.getMessage());
        }
    }

    private MailAddress from(MimeMessage message) throws MessagingException {
        Address[] from = message.getFrom();
        Address sender = from != null && from.length > 0 ? from[0] : localAddress();
        if (sender == null) {
            throw new MessagingException("the message has no From address, and mail.from is not set");
        }
        try {
            return mailbox(sender);
        } catch (NotAMailbox e) {
            throw new MessagingException("From " + describe(sender) + " is not a CMTP account: " + e.getMessage());
        }
    }

    private Address localAddress() throws AddressException {
        String from = session.getProperty("mail.from");
        return from == null || from.isBlank() ? null : new InternetAddress(from);
    }

    private static String subject(MimeMessage message) throws MessagingException {
        String subject = message.getSubject();
        return subject == null ? "" : subject;
    }

    /** The first Reply-To address, if the message has a Reply-To header; empty means the sender. */
    private static String replyTo(MimeMessage message) throws MessagingException {
        if (message.getHeader("Reply-To", ",") == null) {
            return "";
        }
        Address[] replyTo = message.getReplyTo();
        return replyTo != null && replyTo.length > 0 && replyTo[0] instanceof InternetAddress first
                && first.getAddress() != null ? first.getAddress() : "";
    }

    /** The Cc addresses that are CMTP mailboxes (the others are reported invalid as recipients). */
    private static List<MailAddress> carbonCopies(MimeMessage message) throws MessagingException {
        Address[] cc = message.getRecipients(Message.RecipientType.CC);
        List<MailAddress> copies = new ArrayList<>();
        for (Address address : cc == null ? new Address[0] : cc) {
            try {
                MailAddress copy = mailbox(address);
                if (!copies.contains(copy)) {
                    copies.add(copy);
                }
            } catch (NotAMailbox e) {
                // not sent to either: sendMessage reports it among the invalid addresses
            }
        }
        return copies;
    }
}
