package org.cmtp.web.api.dto;

public class ReceiptView {
    public String to;
    /**
     * SUCCESS (stored here, or queued for the recipient's domain), DELIVERYFAILURE or
     * FAILURE (signed by the server), or KEYNOTAVAILABLE: no key for the recipient, so
     * nothing was sent.
     */
    public String status;
    /** BLAKE2b-512 of the message, which the receipt's signature covers; empty when nothing was sent. */
    public String messageHash;
}
