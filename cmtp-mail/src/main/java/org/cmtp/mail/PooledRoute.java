package org.cmtp.mail;

import jakarta.mail.MessagingException;
import jakarta.resource.ResourceException;

import java.util.List;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import org.cmtp.client.MailSendException;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.ra.api.CmtpConnection;
import org.cmtp.ra.api.CmtpConnectionException;
import org.cmtp.ra.api.CmtpConnectionFactory;

/**
 * Sends through the cmtp-ra adapter's pooled connections: the {@code CmtpConnectionFactory}
 * named by {@code mail.cmtp.connectionfactory} (e.g. {@code java:app/cmtp/ConnectionFactory}),
 * one connection from the pool per message. Host, port, pinned key and timeouts are then the
 * factory's configuration, not the session's.
 *
 * <p>Only loaded when that property is set, so that a Java SE program, which has neither the
 * adapter's classes nor {@code jakarta.resource}, never needs them.
 */
final class PooledRoute implements Route {

    private final String name;
    private final CmtpConnectionFactory factory;

    private PooledRoute(String name, CmtpConnectionFactory factory) {
        this.name = name;
        this.factory = factory;
    }

    static Route lookup(String name) throws MessagingException {
        Object found;
        try {
            found = new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw new MessagingException(CmtpSettings.CONNECTION_FACTORY + ": cannot look up '" + name + "': "
                    + e.getMessage(), e);
        }
        if (found instanceof CmtpConnectionFactory factory) {
            return new PooledRoute(name, factory);
        }
        throw new MessagingException(CmtpSettings.CONNECTION_FACTORY + ": '" + name + "' is a "
                + (found == null ? "null" : found.getClass().getName()) + ", not an org.cmtp.ra.api.CmtpConnectionFactory");
    }

    @Override
    public List<Receipt> send(OutgoingMail mail, boolean plaintextWithoutKey) throws MailSendException, MessagingException {
        try (CmtpConnection connection = factory.getConnection()) {
            return connection.send(mail, plaintextWithoutKey);
        } catch (CmtpConnectionException e) {
            if (e.clientException() instanceof MailSendException partly) {
                throw partly;
            }
            throw new MessagingException("CMTP connection from " + name + " failed: " + e.getMessage(), e);
        } catch (ResourceException e) {
            throw new MessagingException("no CMTP connection from " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // each message gave its connection back to the pool already
    }
}
