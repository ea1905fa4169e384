package org.cmtp.web.user.dto;

public class KeyView {
    public String account;
    /** Canonical: what the signature covers. */
    public String domain;
    public String publicKey;
    /** Over "CMTP-KEYBIND-1" ‖ \0 ‖ account ‖ \0 ‖ domain ‖ \0 ‖ key, by the server key. */
    public String signature;
}
