package org.cmtp.server.mailbox;

import java.time.Instant;

/**
 * One line of a mailbox listing: what the operator sees without opening the message.
 *
 * @param viaSmtp arrived through the SMTP gateway: sealed by this server on arrival, not end to end
 */
public record MessageSummary(Long id, String sender, long size, Instant received, String clientAddress,
                             boolean viaSmtp) {
}
