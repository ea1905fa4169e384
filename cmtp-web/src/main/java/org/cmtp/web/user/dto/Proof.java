package org.cmtp.web.user.dto;

/** {@code {"account": "bob", "challenge": "…", "signature": "hex"}}. */
public class Proof {
    public String account;
    public String challenge;
    public String signature;
}
