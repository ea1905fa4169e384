package org.cmtp.web.user.dto;

public class MessageLimits {
    /** Bytes of the whole sealed message (cmtp.max-message-size). */
    public long maxMessageSize;
    public int maxAttachments;
}
