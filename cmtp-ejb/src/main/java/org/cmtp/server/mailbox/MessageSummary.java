package org.cmtp.server.mailbox;

import java.time.Instant;

/** One line of a mailbox listing: what the operator sees without opening the message. */
public record MessageSummary(Long id, String sender, long size, Instant received, String clientAddress) {
}
