package org.cmtp.sample;

import java.util.List;

/**
 * What the sample bean read in one message.
 *
 * @param account     the recipient account
 * @param sender      the source address the message names
 * @param subject     from the opened body
 * @param text        from the opened body
 * @param attachments the file names of the opened attachments
 * @param mailboxId   the message's id in the server's mailbox
 */
public record OpenedMail(String account, String sender, String subject, String text, List<String> attachments,
                         long mailboxId) {
}
