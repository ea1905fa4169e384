package org.cmtp.web.user.dto;

public class SessionView {
    public String id;
    public String created;
    public String expires;
    public String lastUsed;
    public String clientAddress;
    /** The session this request was made with. */
    public boolean current;
}
