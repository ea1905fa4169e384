package org.cmtp.web.user.dto;

import java.util.List;

public class MessageView {
    public long id;
    public String sender;
    public long size;
    public String received;
    public boolean read;
    public int attachments;
    public List<Long> attachmentSizes;
    /**
     * Arrived through the SMTP gateway: readable in the SMTP world, sealed by this server on
     * arrival, not end to end (README "Living beside SMTP").
     */
    public boolean viaSmtp;
}
