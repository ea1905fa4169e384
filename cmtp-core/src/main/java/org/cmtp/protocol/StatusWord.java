package org.cmtp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The words of a signed status reply (PROTOCOL.md §3). */
public enum StatusWord {
    /** MAIL stored for a local account or queued for relay. */
    SUCCESS,
    /** Malformed request (or an unknown command, or no such user for LOGIN). */
    FAILURE,
    /** KEYREQUEST: no such user, or the remote key could not be had or verified. */
    KEYNOTAVAILABLE,
    /** MAIL: no such local account, relay refused, or not enough proof of work. */
    DELIVERYFAILURE;

    /** @return the ASCII bytes of the word as sent, without its {@code \0} */
    public byte[] wireBytes() {
        return name().getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the status spelled exactly by {@code word}, if any */
    public static Optional<StatusWord> fromWire(String word) {
        for (StatusWord status : values()) {
            if (status.name().equals(word)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
