package org.cmtp.client;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.cmtp.crypto.Signatures;
import org.cmtp.message.MailAddress;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;

/**
 * What the home server answered for one recipient of a sent mail, with its signature
 * already verified.
 *
 * <ul>
 * <li>{@code SUCCESS}: a receipt — the server's signature over {@code SUCCESS\0 ‖
 *     messageHash} proves that it took exactly that message (stored or queued for relay).</li>
 * <li>{@code DELIVERYFAILURE} / {@code FAILURE}: the server refused the message.</li>
 * <li>{@code KEYNOTAVAILABLE}: no message was sent, since the recipient's key could not be
 *     had; {@code messageHash} is empty and the signature is the server's over
 *     {@code KEYNOTAVAILABLE\0}.</li>
 * </ul>
 *
 * @param recipient who the message was for
 * @param status the server's answer
 * @param messageHash BLAKE2b-512 of the message as sent (empty when none was sent)
 * @param signature the server's signature over {@code status ‖ \0 ‖ messageHash}
 */
public record Receipt(MailAddress recipient, StatusWord status, byte[] messageHash, byte[] signature) {

    public Receipt {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        messageHash = messageHash.clone();
        signature = signature.clone();
    }

    /** @return true when the server took the message */
    public boolean delivered() {
        return status == StatusWord.SUCCESS;
    }

    /**
     * Checks the signature again, e.g. for a receipt kept in a database. A {@code FAILURE}
     * may be signed without the hash (see {@link CmtpClient#mail}).
     */
    public boolean verify(byte[] serverKey) {
        try {
            return Signatures.verify(serverKey, SignedStatus.bytesToSign(status, messageHash), signature)
                    || (status == StatusWord.FAILURE
                            && Signatures.verify(serverKey, SignedStatus.bytesToSign(status), signature));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public byte[] messageHash() {
        return messageHash.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt other && recipient.equals(other.recipient) && status == other.status
                && Arrays.equals(messageHash, other.messageHash) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(recipient, status, Arrays.hashCode(messageHash), Arrays.hashCode(signature));
    }

    /** @return e.g. {@code SUCCESS bob@example.org 3fa1…} */
    @Override
    public String toString() {
        return status + " " + recipient + (messageHash.length == 0 ? "" : " " + HexFormat.of().formatHex(messageHash));
    }
}
