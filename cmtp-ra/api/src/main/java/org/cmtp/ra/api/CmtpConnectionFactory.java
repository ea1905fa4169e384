package org.cmtp.ra.api;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

import java.io.Serializable;

/**
 * Where an application gets connections to its CMTP home server. On Payara Micro the
 * server's application defines one as {@code java:app/cmtp/ConnectionFactory} (README,
 * "Sending from an application"):
 *
 * <pre>{@code
 * @Resource(lookup = "java:app/cmtp/ConnectionFactory")
 * CmtpConnectionFactory cmtp;
 *
 * try (CmtpConnection connection = cmtp.getConnection()) {
 *     List<Receipt> receipts = connection.send(OutgoingMail.from(alice).to(bob).subject("Hi").text("…").build());
 * }
 * }</pre>
 */
public interface CmtpConnectionFactory extends Serializable, Referenceable {

    /**
     * A connection from the pool, already greeted and with the server's key checked against
     * the one pinned for this factory.
     *
     * @throws CmtpConnectionException if the server cannot be reached or its key changed
     * @throws ResourceException if the container cannot supply a connection (pool exhausted…)
     */
    CmtpConnection getConnection() throws ResourceException;
}
