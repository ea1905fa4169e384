package org.cmtp.web.user.dto;

/** One message's body as {@code {id}/body} gives it, with its crypto version, the body in base64. */
public class SealedBody {
    public long id;
    /** 1: sealed to the holder's key; 0: in the clear (a delivery notice). */
    public int version;
    public String body;
}
