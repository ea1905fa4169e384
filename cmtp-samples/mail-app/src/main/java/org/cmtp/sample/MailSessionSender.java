package org.cmtp.sample;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.mail.MailSessionDefinition;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

/**
 * Sends with plain Jakarta Mail: an injected {@link Session} and {@link Transport#send}, no
 * CMTP type anywhere. What makes it CMTP is only the mail session's definition: the
 * transport protocol {@code cmtp} (the cmtp-mail provider in this WAR), static
 * {@code Transport.send} routed to it, and the adapter's pooled connections of this
 * application ({@value AccountKeys#FACTORY}) to send through (README, "Sending from Jakarta
 * Mail applications").
 */
@MailSessionDefinition(
        name = MailSessionSender.SESSION,
        description = "Mail sent with CMTP through this application's cmtp-ra connections",
        transportProtocol = "cmtp",
        properties = {
            "mail.transport.protocol.rfc822=cmtp",
            "mail.cmtp.connectionfactory=" + AccountKeys.FACTORY
        })
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MailSessionSender {

    public static final String SESSION = "java:app/mail/cmtp";

    @Resource(lookup = SESSION)
    private Session session;

    /** A new message of this application's mail session, to fill in and hand to {@link #send}. */
    public MimeMessage newMessage() {
        return new MimeMessage(session);
    }

    /** @throws jakarta.mail.SendFailedException naming the addresses sent, not sent and invalid */
    public void send(MimeMessage message) throws MessagingException {
        Transport.send(message);
    }
}
