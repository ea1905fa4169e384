package org.cmtp.web.user.dto;

public class ReceiptView {
    public String status;
    /** BLAKE2b-512 of the message, what the signature covers after {@code STATUS ‖ \0}. */
    public String hash;
    public String signature;
}
