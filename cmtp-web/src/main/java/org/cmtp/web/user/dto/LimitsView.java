package org.cmtp.web.user.dto;

/** The message limits as the user API shows them (the server reads them through org.cmtp.ra.MessageLimits). */
public class LimitsView {
    /** Bytes of the whole sealed message (cmtp.max-message-size). */
    public long maxMessageSize;
    public int maxAttachments;
}
