package org.cmtp.web.user.dto;

/** What the client signs, besides its key (the bytes are in README "Users"). */
public class ChallengeView {
    public String account;
    public String domain;
    /** 32 bytes, base64url without padding. */
    public String challenge;
    public String serverKey;
    public String expires;
    public long expiresEpochSecond;
}
