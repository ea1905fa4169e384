package org.cmtp.web.user.dto;

/** {@code GET /api/user/messages/usage}: what the mailbox holds and its limits (null: unlimited). */
public class MailboxUsage {
    public long messages;
    public long bytes;
    public Long quotaMessages;
    public Long quotaBytes;
}
