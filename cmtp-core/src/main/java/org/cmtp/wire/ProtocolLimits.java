package org.cmtp.wire;

/**
 * The bounds a decoder enforces on lengths read from the wire, each checked before
 * anything is allocated for the item it describes. A peer controls every length field, so
 * without these a 24-byte header could make a server reserve 2^64 bytes.
 *
 * @param maxMessageBytes the whole message, version field through last attachment (the
 *                        proof-of-work field is not part of it); the server advertises it
 *                        as {@code SIZE} in its OHAI reply
 * @param maxAttachments the attachment count a message may declare
 * @param maxLogBytes the log field; a message carries one log line per server it crossed
 * @param maxXzibitCiphertextBytes the ciphertext length L of an xzibit in a LOGIN reply
 *                                 (client side; version 1 uses 112)
 * @param maxTextReplyBytes a text reply, before its {@code \0} (client side)
 */
public record ProtocolLimits(
        int maxMessageBytes,
        int maxAttachments,
        int maxLogBytes,
        int maxXzibitCiphertextBytes,
        int maxTextReplyBytes) {

    /** Java arrays cannot be larger than this, and a message is kept in one array. */
    public static final int LARGEST_MESSAGE_BYTES = Integer.MAX_VALUE - 8;

    /** 25 MiB messages, 1000 attachments, 64 KiB of log, 4 KiB xzibits, 64 KiB text replies. */
    public static final ProtocolLimits DEFAULTS =
            new ProtocolLimits(25 * 1024 * 1024, 1000, 64 * 1024, 4096, 64 * 1024);

    public ProtocolLimits {
        requireInRange("maxMessageBytes", maxMessageBytes, LARGEST_MESSAGE_BYTES);
        requireInRange("maxAttachments", maxAttachments, Integer.MAX_VALUE);
        requireInRange("maxLogBytes", maxLogBytes, maxMessageBytes);
        requireInRange("maxXzibitCiphertextBytes", maxXzibitCiphertextBytes, LARGEST_MESSAGE_BYTES);
        requireInRange("maxTextReplyBytes", maxTextReplyBytes, LARGEST_MESSAGE_BYTES);
    }

    /** @return these limits with another message limit; the log limit is lowered to fit under it */
    public ProtocolLimits withMaxMessageBytes(int value) {
        return new ProtocolLimits(value, maxAttachments, Math.min(maxLogBytes, value),
                maxXzibitCiphertextBytes, maxTextReplyBytes);
    }

    /** @return these limits with another attachment count limit */
    public ProtocolLimits withMaxAttachments(int value) {
        return new ProtocolLimits(maxMessageBytes, value, maxLogBytes,
                maxXzibitCiphertextBytes, maxTextReplyBytes);
    }

    /** @return these limits with another log limit (at most the message limit) */
    public ProtocolLimits withMaxLogBytes(int value) {
        return new ProtocolLimits(maxMessageBytes, maxAttachments, value,
                maxXzibitCiphertextBytes, maxTextReplyBytes);
    }

    /** @return these limits with another xzibit ciphertext limit */
    public ProtocolLimits withMaxXzibitCiphertextBytes(int value) {
        return new ProtocolLimits(maxMessageBytes, maxAttachments, maxLogBytes,
                value, maxTextReplyBytes);
    }

    /** @return these limits with another text reply limit */
    public ProtocolLimits withMaxTextReplyBytes(int value) {
        return new ProtocolLimits(maxMessageBytes, maxAttachments, maxLogBytes,
                maxXzibitCiphertextBytes, value);
    }

    /**
     * Throws if a length read from the wire is over {@code limit}. The comparison is
     * unsigned, so a u64 of 2^63 or more counts as huge rather than negative.
     */
    public static void check(String field, long declared, long limit) throws LengthLimitExceededException {
        if (Long.compareUnsigned(declared, limit) > 0) {
            throw new LengthLimitExceededException(field, declared, limit);
        }
    }

    private static void requireInRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be between 0 and " + max + ", not " + value);
        }
    }
}
