package org.cmtp.ra.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.wire.ProtocolException;

/**
 * A message this server has stored, durably, in the mailbox of one of its accounts: what
 * an application's {@link CmtpMailListener} receives. It is handed over only after the
 * server committed the message and signed its {@code SUCCESS} receipt, so the mailbox
 * always has it too.
 *
 * @param account       the recipient account, as the server knows it
 * @param domain        the local domain the message was addressed to, lower case (the
 *                      server's primary domain when the message left it empty)
 * @param sender        the source address as the message names it, {@code account@domain}
 *                      (not authenticated: CMTP does not prove who sent a message)
 * @param storedMessage the exact bytes as stored, i.e. as received plus this server's log line:
 *                      the same bytes as {@code GET /api/accounts/{account}/messages/{mailboxId}/raw},
 *                      and what {@link org.cmtp.client.ReceivedMail#open} opens
 * @param receiptHash   BLAKE2b-512 of the message as received (before this server's log line):
 *                      the context of the signed receipt
 * @param received      when the server accepted it (seconds precision, as in its log line)
 * @param client        the connection the message came in on
 * @param mailboxId     the message's id in the account's mailbox
 */
public record DeliveredMail(String account, String domain, String sender, byte[] storedMessage,
                            byte[] receiptHash, Instant received, ClientInfo client, long mailboxId)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public DeliveredMail {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(client, "client");
        storedMessage = storedMessage.clone();
        receiptHash = receiptHash.clone();
    }

    /** @return the recipient, {@code account@domain} */
    public MailAddress recipient() {
        return new MailAddress(account, domain);
    }

    /** @return the stored message, decoded (envelope, log, sealed body and attachments) */
    public Message message() {
        try {
            return Message.decode(storedMessage);
        } catch (ProtocolException e) {
            throw new IllegalStateException("a stored message no longer decodes: " + e.getMessage(), e);
        }
    }

    /** @return a copy of the stored bytes */
    @Override
    public byte[] storedMessage() {
        return storedMessage.clone();
    }

    /** @return a copy of the receipt hash */
    @Override
    public byte[] receiptHash() {
        return receiptHash.clone();
    }

    /** @return the size of the stored message in bytes */
    public int size() {
        return storedMessage.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeliveredMail other && account.equals(other.account) && domain.equals(other.domain)
                && sender.equals(other.sender) && Arrays.equals(storedMessage, other.storedMessage)
                && Arrays.equals(receiptHash, other.receiptHash) && received.equals(other.received)
                && client.equals(other.client) && mailboxId == other.mailboxId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(account, domain, mailboxId, Arrays.hashCode(receiptHash));
    }

    @Override
    public String toString() {
        return "DeliveredMail[" + sender + " -> " + account + "@" + domain + ", " + storedMessage.length
                + " bytes, mailbox id " + mailboxId + ", receipt " + HexFormat.of().formatHex(receiptHash, 0,
                        Math.min(8, receiptHash.length)) + "…, received " + received + " from "
                + client.remoteHost() + "]";
    }
}
