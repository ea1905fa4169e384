package org.cmtp.ra.outbound;

import jakarta.resource.ResourceException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.ra.api.CmtpConnection;

/** The handle an application holds; every call goes to its current {@link CmtpManagedConnection}. */
public class CmtpConnectionImpl implements CmtpConnection {

    private volatile CmtpManagedConnection managed;
    private volatile boolean closed;

    CmtpConnectionImpl(CmtpManagedConnection managed) {
        this.managed = managed;
    }

    @Override
    public byte[] serverKey() {
        return managed().serverKey();
    }

    @Override
    public Optional<byte[]> keyRequest(String account, String domain) throws ResourceException {
        return managed().call((client, key) -> client.keyRequest(account, domain, key));
    }

    @Override
    public Ed25519KeyPair login(String account, char[] password) throws ResourceException {
        return managed().call((client, key) -> client.login(account, key)).open(password);
    }

    @Override
    public List<Receipt> send(OutgoingMail mail) throws ResourceException {
        return send(mail, false);
    }

    @Override
    public List<Receipt> send(OutgoingMail mail, boolean plaintextWithoutKey) throws ResourceException {
        return managed().call((client, key) -> {
            MailSender sender = new MailSender(client, key, Clock.systemUTC());
            return sender.send(mail, sender.keys(mail), plaintextWithoutKey);
        });
    }

    @Override
    public SignedStatus mail(byte[] rawMessage, byte[] proofOfWork) throws ResourceException {
        return managed().call((client, key) -> client.mail(rawMessage, proofOfWork, key));
    }

    @Override
    public void noop() throws ResourceException {
        managed().call((client, key) -> {
            client.noop();
            return null;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CmtpManagedConnection current = managed;
        managed = null;
        if (current != null) {
            current.closed(this);
        }
    }

    /** The container moved this handle to another managed connection; returns the previous one. */
    CmtpManagedConnection associate(CmtpManagedConnection next) {
        CmtpManagedConnection previous = managed;
        managed = next;
        return previous;
    }

    /** The managed connection was cleaned up: this handle is dead. */
    void invalidate() {
        managed = null;
        closed = true;
    }

    private CmtpManagedConnection managed() {
        CmtpManagedConnection current = managed;
        if (closed || current == null) {
            throw new IllegalStateException("this CMTP connection handle is closed");
        }
        return current;
    }

    @Override
    public String toString() {
        CmtpManagedConnection current = managed;
        return "CmtpConnection[" + (current == null ? "closed" : current) + "]";
    }
}
