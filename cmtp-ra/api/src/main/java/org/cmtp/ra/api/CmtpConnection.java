package org.cmtp.ra.api;

import jakarta.resource.ResourceException;

import java.util.List;
import java.util.Optional;

import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.protocol.SignedStatus;

/**
 * A connection to a CMTP server (the home server of the application's accounts), handed
 * out by {@link CmtpConnectionFactory#getConnection()}. Close it to give it back to the
 * pool; not for use by several threads at once.
 *
 * <p>Every signed reply is verified against the key pinned for the factory: the server's
 * self-signed key, fetched on the factory's first connection (or configured as
 * {@code serverKey}) and kept for its lifetime.
 *
 * <p><b>Errors.</b> Failures of the conversation are {@link CmtpConnectionException}s
 * (a {@link ResourceException}) whose {@link CmtpConnectionException#clientException()}
 * is the typed {@link org.cmtp.client.CmtpClientException} — e.g.
 * {@link org.cmtp.client.NoSuchAccountException}, {@link org.cmtp.client.ReceiptInvalidException}.
 * When the failure broke the connection (I/O error, timeout, malformed or forged reply)
 * the container is told and destroys it; the handle is useless afterwards and a new one
 * must be got from the factory. Calling a closed handle is an {@link IllegalStateException}.
 */
public interface CmtpConnection extends AutoCloseable {

    /** @return the key pinned for this connection's server (a copy) */
    byte[] serverKey();

    /**
     * KEYREQUEST: the key of {@code account@domain}, relayed by the server for other domains.
     *
     * @return the key, or empty when the server signs {@code KEYNOTAVAILABLE}
     */
    Optional<byte[]> keyRequest(String account, String domain) throws ResourceException;

    /**
     * LOGIN, then opens the xzibit with {@code password}.
     *
     * @throws CmtpConnectionException wrapping {@link org.cmtp.client.NoSuchAccountException} for an unknown account
     * @throws org.cmtp.crypto.WrongPasswordException (unchecked) if the password does not open it;
     *                                                the connection stays usable
     */
    Ed25519KeyPair login(String account, char[] password) throws ResourceException;

    /**
     * Sends a mail to each of its recipients through this server (see
     * {@link org.cmtp.client.MailSender}): one receipt per recipient, a
     * {@code KEYNOTAVAILABLE} one for a recipient whose key cannot be had.
     *
     * @throws CmtpConnectionException wrapping a {@link org.cmtp.client.MailSendException}
     *                                 (which keeps the receipts of the recipients done) when
     *                                 the connection failed part way
     */
    List<Receipt> send(OutgoingMail mail) throws ResourceException;

    /**
     * As {@link #send(OutgoingMail)}; with {@code plaintextWithoutKey}, a recipient whose key
     * cannot be had ({@code KEYNOTAVAILABLE}) is sent a plaintext (version 0) message instead
     * of nothing: NOT encrypted, readable by every server on its way, and delivered over SMTP
     * when the recipient's domain has no CMTP server (README "Living beside SMTP"). The
     * others still get sealed messages.
     */
    List<Receipt> send(OutgoingMail mail, boolean plaintextWithoutKey) throws ResourceException;

    /**
     * MAIL with exactly these bytes, e.g. a stored message forwarded as it is; the receipt
     * is verified over BLAKE2b-512 of {@code rawMessage}.
     *
     * @param proofOfWork the 64-byte field ({@link org.cmtp.protocol.ProofOfWork})
     */
    SignedStatus mail(byte[] rawMessage, byte[] proofOfWork) throws ResourceException;

    /** NOOP: checks that the server answers. */
    void noop() throws ResourceException;

    /** Gives the connection back to the pool. The handle cannot be used afterwards. */
    @Override
    void close();
}
