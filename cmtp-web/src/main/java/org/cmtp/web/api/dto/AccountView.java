package org.cmtp.web.api.dto;

public class AccountView {
    public String name;
    public String address;
    public String publicKey;
    public String fingerprint;
    public boolean enabled;
    public String created;
    /** Limits of the mailbox; absent: unlimited. */
    public Long quotaBytes;
    public Long quotaMessages;
    /** What the mailbox holds now (one account's view only, not in the list). */
    public Long messages;
    public Long bytes;
}
