package org.cmtp.client;

import java.util.ArrayList;
import java.util.List;

import org.cmtp.crypto.CryptoSystem;
import org.cmtp.crypto.CryptoSystems;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.message.Attachment;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.wire.ProtocolException;

/**
 * A received message opened with its recipient's key pair: the envelope from the message,
 * the body and the attachments from inside the sealed boxes (or in the clear, version 0).
 *
 * @param message the message as stored, log included
 * @param body the opened body
 * @param attachments the opened attachments, in order
 */
public record ReceivedMail(Message message, PlaintextBody body, List<Attachment> attachments) {

    public ReceivedMail {
        attachments = List.copyOf(attachments);
    }

    /**
     * Decodes and opens a stored message, e.g. the bytes of
     * {@code GET /api/accounts/{name}/messages/{id}/raw}.
     *
     * @throws ProtocolException if the message or its opened contents break the format
     * @throws org.cmtp.crypto.DecryptionFailedException if it was not sealed to {@code keys}
     * @throws org.cmtp.crypto.UnsupportedCryptoVersionException for a crypto version other than 0 and 1
     */
    public static ReceivedMail open(byte[] stored, Ed25519KeyPair keys) throws ProtocolException {
        Message message = Message.decode(stored);
        CryptoSystem crypto = CryptoSystems.forVersion(message.version());
        PlaintextBody body = PlaintextBody.decode(crypto.open(message.body(), keys));
        List<Attachment> attachments = new ArrayList<>(message.attachmentCount());
        for (byte[] blob : message.attachments()) {
            attachments.add(Attachment.decode(crypto.open(blob, keys)));
        }
        return new ReceivedMail(message, body, attachments);
    }
}
