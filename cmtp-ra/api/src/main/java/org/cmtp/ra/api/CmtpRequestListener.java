package org.cmtp.ra.api;

import org.cmtp.protocol.Command;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.LoginReply;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;

/**
 * The message listener of the CMTP adapter for the server itself: implemented by the
 * server's mailbox MDB (an application's MDB implements {@link CmtpMailListener} instead),
 * it answers every command that needs the domain's data. The adapter owns the socket
 * and the wire format; the endpoint owns keys, accounts and storage and never touches
 * a socket. Each method returns the reply to send, already signed by the server key.
 */
public interface CmtpRequestListener {

    /**
     * KEYREQUEST: the server's own key for an empty user; a local user's key; or, for
     * another domain, a relayed key. Anything else is a signed {@code KEYNOTAVAILABLE}.
     *
     * @return a {@link KeyReply} or a {@link SignedStatus}
     */
    Reply keyRequest(Command.KeyRequest request, ClientInfo client);

    /**
     * KEYBIND (PROTOCOL.md §4a): as {@link #keyRequest}, answered with an address-bound
     * reply whose signature covers the question; anything else is a {@code KEYNOTAVAILABLE}
     * signed over the bound context.
     *
     * @return a an address-bound {@link KeyReply} or a {@link SignedStatus}
     */
    Reply keyBind(Command.KeyBind request, ClientInfo client);

    /**
     * LOGIN: the user's xzibit signed by the server, or a signed {@code FAILURE}.
     *
     * @return a {@link LoginReply} or a {@link SignedStatus}
     */
    Reply login(Command.Login request, ClientInfo client);

    /**
     * MAIL: store or queue the message and answer with a receipt signed over the
     * message hash. {@code SUCCESS} only once the message is durably stored: the
     * container commits the endpoint's transaction before this method returns to the
     * adapter.
     *
     * @return the signed status, with the delivery when the message was stored for a local
     *         account ({@link MailOutcome#delivered}); the adapter hands that to the
     *         applications' {@link CmtpMailListener}s. Mail queued for relay, refused or
     *         failed is {@link MailOutcome#reply} only.
     */
    MailOutcome mail(Command.Mail mail, ClientInfo client);

    /**
     * A status signed by the server key, for replies the adapter decides itself
     * (malformed input, unknown commands).
     */
    SignedStatus status(StatusWord word, byte[] context);
}
