package org.cmtp.server.mailbox;

import java.time.Instant;
import java.util.List;

/**
 * One message as its account holder's listing shows it: no content, which stays sealed.
 *
 * @param attachmentSizes the size of each (sealed) attachment in bytes, in order
 */
public record MailboxEntry(long id, String sender, long size, Instant received, boolean seen,
                           List<Long> attachmentSizes) {

    public MailboxEntry(Long id, String sender, long size, Instant received, boolean seen, String attachmentSizes) {
        this(id, sender, size, received, seen, AttachmentSizes.parse(attachmentSizes));
    }
}
