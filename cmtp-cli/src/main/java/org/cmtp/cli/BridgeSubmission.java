package org.cmtp.cli;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.mail.MimeContent;
import org.cmtp.message.MailAddress;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.protocol.StatusWord;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.RejectException;

/**
 * SMTP submission through the bridge (SubEthaSMTP speaks the protocol, ADR 0027): MAIL FROM
 * must be the signed-in account; each RCPT TO's key is looked up with the address-bound
 * reply and verified (no key: 550 at RCPT, before anything is sent); DATA is parsed with
 * Angus Mail into CMTP fields ({@link MimeContent}, as the Jakarta Mail provider does),
 * sealed per recipient here and submitted through the user API; 250 only once every
 * recipient's signed receipt is verified.
 */
final class BridgeSubmission implements MessageHandlerFactory {

    private final UserCommands.SignedIn session;
    private final BridgeMailbox mailbox;
    private final long maxMessageSize;
    private final int maxAttachments;
    private final PrintStream log;

    BridgeSubmission(UserCommands.SignedIn session, BridgeMailbox mailbox, long maxMessageSize, int maxAttachments,
                     PrintStream log) {
        this.session = session;
        this.mailbox = mailbox;
        this.maxMessageSize = maxMessageSize;
        this.maxAttachments = maxAttachments;
        this.log = log;
    }

    /** What the mail program may hand over at DATA: the sealed limit, plus base64's growth and headers. */
    long maxDataBytes() {
        return Math.min(Integer.MAX_VALUE - 16, maxMessageSize * 4 / 3 + 1024 * 1024);
    }

    @Override
    public MessageHandler create(MessageContext context) {
        return new Handler();
    }

    private final class Handler implements MessageHandler {
        private final Map<MailAddress, byte[]> recipients = new LinkedHashMap<>();

        @Override
        public void from(String from) throws RejectException {
            MailAddress sender = parse(from, 553);
            if (!sender.toString().equalsIgnoreCase(session.address().toString())) {
                throw new RejectException(553, "5.7.1 this bridge sends as " + session.address() + " only, not " + from);
            }
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            MailAddress address = parse(recipient, 553);
            Optional<byte[]> key;
            try {
                key = UserCommands.verifiedKey(session.api(), session.serverKey(), address);
            } catch (IOException | FailureException e) {
                throw new RejectException(451, "4.4.0 " + address + ": the key could not be looked up: "
                        + oneLine(e.getMessage()));
            }
            if (key.isEmpty()) {
                throw new RejectException(550, "5.1.1 " + address + ": no CMTP key for this address (its server has"
                        + " no such account, or does not answer): nothing was sent to it");
            }
            recipients.put(address, key.get());
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            if (recipients.isEmpty()) {
                throw new RejectException(503, "5.5.1 no valid recipients");
            }
            long cap = maxDataBytes();
            byte[] bytes = data.readNBytes((int) cap + 1);
            if (bytes.length > cap) {
                data.transferTo(java.io.OutputStream.nullOutputStream());
                throw tooLarge(bytes.length + "+ bytes of MIME");
            }
            MimeMessage mime;
            MimeContent content;
            OutgoingMail mail;
            try {
                mime = new MimeMessage(BridgeMime.SESSION, new ByteArrayInputStream(bytes));
                content = MimeContent.of(mime);
                String subject = Optional.ofNullable(mime.getSubject()).orElse("");
                String replyTo = replyTo(mime);
                List<MailAddress> copies = new ArrayList<>();
                String[] cc = mime.getHeader("Cc");
                if (cc != null) {
                    for (InternetAddress address : InternetAddress.parseHeader(String.join(",", cc), false)) {
                        if (address.getAddress() != null) {
                            copies.add(parse(address.getAddress(), 554));
                        }
                    }
                }
                mail = new OutgoingMail(session.address(), new ArrayList<>(recipients.keySet()),
                        BridgeMime.clean(subject), content.text(), replyTo, copies, content.attachments());
            } catch (MessagingException | IllegalArgumentException e) {
                throw new RejectException(554, "5.6.0 the message cannot be sent with CMTP: " + oneLine(e.getMessage()));
            }
            if (content.attachments().size() > maxAttachments) {
                throw new RejectException(552, "5.3.4 " + content.attachments().size() + " attachments; the server"
                        + " takes at most " + maxAttachments);
            }
            // every recipient's message sealed (and its size checked) before any is sent
            Instant date = Instant.now();
            Map<MailAddress, byte[]> sealed = new LinkedHashMap<>();
            for (Map.Entry<MailAddress, byte[]> recipient : recipients.entrySet()) {
                byte[] raw = MailSender.seal(mail, recipient.getKey(), recipient.getValue(), date).encode();
                if (raw.length > maxMessageSize) {
                    throw tooLarge(raw.length + " bytes sealed");
                }
                sealed.put(recipient.getKey(), raw);
            }
            List<String> failed = new ArrayList<>();
            int delivered = 0;
            for (Map.Entry<MailAddress, byte[]> message : sealed.entrySet()) {
                try {
                    UserCommands.Submitted submitted = UserCommands.submit(session.api(), session.serverKey(),
                            message.getKey(), message.getValue());
                    if (submitted.status() == StatusWord.SUCCESS) {
                        delivered++;
                    } else {
                        failed.add(message.getKey() + " (" + submitted.status() + ")");
                    }
                } catch (FailureException | IOException e) {
                    failed.add(message.getKey() + " (" + oneLine(e.getMessage()) + ")");
                }
            }
            if (delivered > 0) {
                String messageId;
                try {
                    messageId = mime.getHeader("Message-ID", null);
                } catch (MessagingException e) {
                    messageId = null;
                }
                mailbox.addSent(bytes, messageId, true);
            }
            log.println("cmtp bridge: sent \"" + oneLine(mail.subject()) + "\" to " + delivered + " of " + sealed.size()
                    + " recipient(s)" + (failed.isEmpty() ? "" : "; not to " + String.join(", ", failed)));
            if (!failed.isEmpty()) {
                throw new RejectException(554, "5.0.0 " + (delivered == 0 ? "not sent" : "sent to " + delivered
                        + " recipient(s) but") + " not to " + String.join(", ", failed));
            }
            return "2.0.0 sealed and delivered: " + delivered + " signed receipt(s) verified";
        }

        private RejectException tooLarge(String what) {
            return new RejectException(552, "5.3.4 message too large (" + what + "): the server takes at most "
                    + maxMessageSize + " bytes per sealed message (cmtp.max-message-size)");
        }

        @Override
        public void done() {
        }
    }

    private static String replyTo(MimeMessage mime) throws MessagingException {
        String[] values = mime.getHeader("Reply-To");
        if (values == null) {
            return "";
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(values[0], false);
            return addresses.length > 0 && addresses[0].getAddress() != null ? addresses[0].getAddress() : "";
        } catch (AddressException e) {
            return "";
        }
    }

    private static MailAddress parse(String text, int code) throws RejectException {
        try {
            return MailAddress.parse(text.strip());
        } catch (InvalidAddressException e) {
            throw new RejectException(code, "5.1.3 '" + oneLine(text) + "' is not an address: " + oneLine(e.getMessage()));
        }
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }
}
