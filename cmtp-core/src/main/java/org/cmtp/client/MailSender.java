package org.cmtp.client;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.CryptoException;
import org.cmtp.crypto.CryptoSystem;
import org.cmtp.crypto.CryptoSystems;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;

import org.cmtp.protocol.ProofOfWork;

/**
 * Sends an {@link OutgoingMail} through the sender's home server, the way PROTOCOL.md
 * means a client to: for each recipient, ask the home server for the recipient's key (it
 * relays keys of other domains, signed with its own key), seal the body and every
 * attachment to that key with crypto system 1, and send the message with MAIL. The home
 * server stores it or queues it for relay, and signs a receipt.
 *
 * <p>One message per recipient, each sealed to that recipient only; all of them carry the
 * same date. A recipient whose key is not available gets a {@code KEYNOTAVAILABLE} result
 * and the others are still sent. A broken connection stops the sending with a
 * {@link MailSendException} that keeps the receipts of the recipients already handled.
 */
public final class MailSender {

    private static final byte[] NONE = new byte[0];

    private final CmtpClient client;
    private final byte[] homeServerKey;
    private final Clock clock;

    /**
     * @param client a connection to the sender's home server
     * @param homeServerKey that server's key, pinned or trusted on first use
     * @param clock gives the date written into every message
     */
    public MailSender(CmtpClient client, byte[] homeServerKey, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.homeServerKey = homeServerKey.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends {@code mail} to each of its recipients.
     *
     * @return one receipt per recipient, in the order of {@link OutgoingMail#to()}
     * @throws MailSendException if the connection failed part way (its receipts say how far it got)
     */
    public List<Receipt> send(OutgoingMail mail) throws MailSendException {
        Instant date = clock.instant();
        List<Receipt> receipts = new ArrayList<>(mail.to().size());
        try {
            int difficulty = client.capabilities().proofOfWorkDifficulty();
            for (MailAddress recipient : mail.to()) {
                receipts.add(sendTo(mail, recipient, date, difficulty));
            }
        } catch (CmtpClientException e) {
            throw new MailSendException(e, receipts);
        }
        return receipts;
    }

    private Receipt sendTo(OutgoingMail mail, MailAddress recipient, Instant date, int difficulty)
            throws CmtpClientException {
        Optional<byte[]> key;
        try {
            key = client.keyRequest(recipient, homeServerKey);
        } catch (CommandFailedException e) {
            return new Receipt(recipient, e.status(), NONE, NONE);
        }
        if (key.isEmpty()) {
            return new Receipt(recipient, StatusWord.KEYNOTAVAILABLE, NONE, NONE);
        }
        Message message;
        try {
            message = seal(mail, recipient, key.get(), date);
        } catch (CryptoException e) {
            // The server vouched for a key that cannot be sealed to: as good as no key.
            return new Receipt(recipient, StatusWord.KEYNOTAVAILABLE, NONE, NONE);
        }
        byte[] raw = message.encode();
        SignedStatus status = client.mail(raw, ProofOfWork.find(raw, difficulty), homeServerKey);
        return new Receipt(recipient, status.word(), Blake2b.hash512(raw), status.signature());
    }

    /** @return what each recipient reads once the body is opened */
    public static PlaintextBody body(OutgoingMail mail, Instant date) {
        return new PlaintextBody(mail.effectiveReplyTo(), mail.subject(), PlaintextBody.formatDate(date),
                mail.carbonCopies(), mail.text());
    }

    /**
     * Builds the message for one recipient: version 1, empty log, the body and each
     * attachment sealed to {@code recipientKey}.
     *
     * @throws org.cmtp.crypto.InvalidPublicKeyException if the key cannot be sealed to
     */
    public static Message seal(OutgoingMail mail, MailAddress recipient, byte[] recipientKey, Instant date) {
        CryptoSystem sealedBox = CryptoSystems.forVersion(Message.SEALED);
        byte[] body = sealedBox.seal(body(mail, date).encode(), recipientKey);
        List<byte[]> attachments = new ArrayList<>(mail.attachments().size());
        for (Attachment attachment : mail.attachments()) {
            attachments.add(sealedBox.seal(attachment.encode(), recipientKey));
        }
        return new Message(Message.SEALED, recipient, mail.from(), "", body, attachments);
    }
}
