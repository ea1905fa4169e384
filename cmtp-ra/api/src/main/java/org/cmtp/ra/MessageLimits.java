package org.cmtp.ra;

/**
 * The size limits of a message, {@code cmtp.max-message-size} and {@code cmtp.max-attachments}:
 * the CMTP port enforces them (its activation spec) and the server advertises and applies
 * them elsewhere too (the user API's submissions). Read here, like {@link ListenerAddress},
 * so that both read the same keys with the same defaults.
 */
public final class MessageLimits {

    public static final String MAX_MESSAGE_SIZE = "cmtp.max-message-size";
    public static final String MAX_ATTACHMENTS = "cmtp.max-attachments";
    /** 25 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 25 * 1024 * 1024;
    public static final int DEFAULT_MAX_ATTACHMENTS = 1000;

    private MessageLimits() {
    }

    /** The largest message accepted, in bytes. */
    public static int maxMessageSize() {
        return Setting.integer(MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE);
    }

    /** The most attachments one message may have. */
    public static int maxAttachments() {
        return Setting.integer(MAX_ATTACHMENTS, DEFAULT_MAX_ATTACHMENTS);
    }
}
