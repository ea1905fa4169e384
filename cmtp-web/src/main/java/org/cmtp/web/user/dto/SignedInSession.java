package org.cmtp.web.user.dto;

public class SignedInSession {
    public String token;
    public String sessionId;
    public String expires;
}
