package org.cmtp.web.api.dto;

/** One message of a mailbox as the operator sees it, without opening it. */
public class StoredMessageView {
    public long id;
    public String sender;
    public long size;
    public String received;
    /** Where it came from; absent for mail stored by this server itself. */
    public String clientAddress;
    /** Arrived through the SMTP gateway: sealed by this server on arrival, not end to end. */
    public boolean viaSmtp;
}
