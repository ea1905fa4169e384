package org.cmtp.mail;

import jakarta.mail.MessagingException;

import java.util.List;

import org.cmtp.client.MailSendException;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;

/** How the transport reaches the home server: a connection of its own, or the adapter's pool. */
interface Route {

    /**
     * Sends one sealed message per recipient of {@code mail}; with {@code plaintextWithoutKey}
     * ({@code mail.cmtp.allowplaintext}) a plaintext one to each recipient without a key.
     *
     * @return one receipt per recipient, in order
     * @throws MailSendException when the connection failed part way (its receipts are the recipients done)
     * @throws MessagingException when nothing could be sent (no connection)
     */
    List<Receipt> send(OutgoingMail mail, boolean plaintextWithoutKey) throws MailSendException, MessagingException;

    /** Gives the connection up; never throws. */
    void close();
}
