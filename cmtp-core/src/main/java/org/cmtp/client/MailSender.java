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
     * What the home server said of one recipient's key, before anything is sent.
     *
     * @param status {@code SUCCESS} with the key; {@code KEYNOTAVAILABLE} when the recipient
     *     has none (no such account, or a domain without a CMTP server); another word when
     *     the server refused the question
     * @param key the recipient's key, empty unless {@code SUCCESS}
     */
    public record RecipientKey(MailAddress recipient, StatusWord status, byte[] key) {

        public RecipientKey {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(status, "status");
            key = key.clone();
        }

        /** Whether the server answered that there is no key: only then may the sender choose plaintext. */
        public boolean withoutKey() {
            return status == StatusWord.KEYNOTAVAILABLE;
        }

        @Override
        public byte[] key() {
            return key.clone();
        }
    }

    /**
     * Sends {@code mail} to each of its recipients, sealed; a recipient without a key gets
     * {@code KEYNOTAVAILABLE} and nothing, and the others are still sent.
     *
     * @return one receipt per recipient, in the order of {@link OutgoingMail#to()}
     * @throws MailSendException if the connection failed part way (its receipts say how far it got)
     */
    public List<Receipt> send(OutgoingMail mail) throws MailSendException {
        return send(mail, keys(mail), false);
    }

    /**
     * Asks the home server for every recipient's key, so that a caller can decide before
     * sending anything (e.g. to send nothing when one recipient has no key).
     *
     * @throws MailSendException if the connection failed (with no receipts: nothing was sent)
     */
    public List<RecipientKey> keys(OutgoingMail mail) throws MailSendException {
        List<RecipientKey> keys = new ArrayList<>(mail.to().size());
        try {
            for (MailAddress recipient : mail.to()) {
                keys.add(keyOf(recipient));
            }
        } catch (CmtpClientException e) {
            throw new MailSendException(e, List.of());
        }
        return keys;
    }

    /**
     * Sends {@code mail} to each recipient of {@code keys}: sealed to its key, or, when it
     * has none and {@code plaintextWithoutKey} is true, as a plaintext (version 0) message
     * the sender chose knowingly (PROTOCOL.md §6): the home server and every server after it
     * can read it, and a domain without a CMTP server gets it over SMTP.
     *
     * @throws MailSendException if the connection failed part way (its receipts say how far it got)
     */
    public List<Receipt> send(OutgoingMail mail, List<RecipientKey> keys, boolean plaintextWithoutKey)
            throws MailSendException {
        Instant date = clock.instant();
        List<Receipt> receipts = new ArrayList<>(keys.size());
        try {
            int difficulty = client.capabilities().proofOfWorkDifficulty();
            for (RecipientKey key : keys) {
                receipts.add(sendTo(mail, key, date, difficulty, plaintextWithoutKey));
            }
        } catch (CmtpClientException e) {
            throw new MailSendException(e, receipts);
        }
        return receipts;
    }

    private RecipientKey keyOf(MailAddress recipient) throws CmtpClientException {
        try {
            Optional<byte[]> key = client.keyRequest(recipient, homeServerKey);
            return key.map(k -> new RecipientKey(recipient, StatusWord.SUCCESS, k))
                    .orElseGet(() -> new RecipientKey(recipient, StatusWord.KEYNOTAVAILABLE, NONE));
        } catch (CommandFailedException e) {
            return new RecipientKey(recipient, e.status(), NONE);
        }
    }

    private Receipt sendTo(OutgoingMail mail, RecipientKey key, Instant date, int difficulty, boolean plaintextWithoutKey)
            throws CmtpClientException {
        MailAddress recipient = key.recipient();
        Message message;
        if (key.withoutKey() && plaintextWithoutKey) {
            message = plaintext(mail, recipient, date);
        } else if (key.status() != StatusWord.SUCCESS) {
            return new Receipt(recipient, key.status(), NONE, NONE);
        } else {
            try {
                message = seal(mail, recipient, key.key(), date);
            } catch (CryptoException e) {
                // The server vouched for a key that cannot be sealed to: as good as no key.
                return new Receipt(recipient, StatusWord.KEYNOTAVAILABLE, NONE, NONE);
            }
        }
        byte[] raw = message.encode();
        SignedStatus status = client.mail(raw, ProofOfWork.find(raw, difficulty), homeServerKey);
        return new Receipt(recipient, status.word(), Blake2b.hash512(raw), status.signature());
    }

    /**
     * Builds the plaintext (version 0) message for one recipient: body and attachments in
     * the clear, in the same layout a sealed message holds inside its boxes.
     */
    public static Message plaintext(OutgoingMail mail, MailAddress recipient, Instant date) {
        List<byte[]> attachments = new ArrayList<>(mail.attachments().size());
        for (Attachment attachment : mail.attachments()) {
            attachments.add(attachment.encode());
        }
        return new Message(Message.PLAINTEXT, recipient, mail.from(), "", body(mail, date).encode(), attachments);
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
