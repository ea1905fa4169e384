package org.cmtp.web.api.dto;

public class KnownServerView {
    public String domain;
    public String publicKey;
    public String firstSeen;
    public String lastSeen;
    /** A different key the server offered and that was refused, if any. */
    public String offeredKey;
    public String offeredAt;
    /** The server answers with address-bound key replies (KEYBIND), and must from now on. */
    public boolean keyBind;
}
