package org.cmtp.ra.api;

import java.util.Objects;
import java.util.Optional;

import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;

/**
 * What the endpoint did with a MAIL: the signed status to send back, and — only when it
 * stored the message in a local account's mailbox — that delivery, which the adapter then
 * hands to the applications listening for that account ({@link CmtpMailListener}).
 *
 * <p>The endpoint says so itself, because only it knows: a {@code SUCCESS} also means
 * "queued for relay" for a foreign domain (PROTOCOL.md §6), which is no local delivery.
 *
 * @param status the reply to the client, signed over the message hash
 * @param delivery the stored message, or null when nothing was stored for a local account
 */
public record MailOutcome(SignedStatus status, DeliveredMail delivery) {

    public MailOutcome {
        Objects.requireNonNull(status, "status");
        if (delivery != null && status.word() != StatusWord.SUCCESS) {
            throw new IllegalArgumentException("a local delivery is answered with SUCCESS, not " + status.word());
        }
    }

    /** A reply that stored nothing locally: a refusal, a failure, or mail queued for relay. */
    public static MailOutcome reply(SignedStatus status) {
        return new MailOutcome(status, null);
    }

    /** A {@code SUCCESS} for a message committed to a local account's mailbox. */
    public static MailOutcome delivered(SignedStatus success, DeliveredMail delivery) {
        return new MailOutcome(success, Objects.requireNonNull(delivery, "delivery"));
    }

    /** @return the local delivery, if the message was stored for a local account */
    public Optional<DeliveredMail> localDelivery() {
        return Optional.ofNullable(delivery);
    }
}
