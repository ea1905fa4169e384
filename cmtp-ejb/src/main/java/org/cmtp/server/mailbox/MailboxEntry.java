package org.cmtp.server.mailbox;

import java.time.Instant;
import java.util.List;

/**
 * One message as its account holder's listing shows it: no content, which stays sealed.
 *
 * @param attachmentSizes the size of each (sealed) attachment in bytes, in order
 * @param viaSmtp arrived through the SMTP gateway: sealed by this server on arrival, not end to end
 */
public record MailboxEntry(long id, String sender, long size, Instant received, boolean seen,
                           List<Long> attachmentSizes, boolean viaSmtp) {

    public MailboxEntry(Long id, String sender, long size, Instant received, boolean seen, String attachmentSizes,
                        boolean viaSmtp) {
        this(id, sender, size, received, seen, AttachmentSizes.parse(attachmentSizes), viaSmtp);
    }
}
