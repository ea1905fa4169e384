package org.cmtp.wire;

/**
 * A command word that CMTP does not know, or one longer than 10 bytes (PROTOCOL.md §1.5).
 * Always recoverable: the decoder has skipped input up to and including the word's
 * terminating {@code \0} before reporting it.
 */
public final class UnknownCommandException extends ProtocolException {

    private final String word;
    private final boolean overLong;

    /**
     * @param word the word as received, non-printable bytes escaped; for an over-long word
     *             only its first 10 bytes
     * @param overLong whether the word had more than 10 bytes
     */
    public UnknownCommandException(String word, boolean overLong) {
        super(overLong
                ? "command word longer than 10 bytes, starting \"" + word + "\""
                : "unknown command \"" + word + "\"", true);
        this.word = word;
        this.overLong = overLong;
    }

    /** @return the word as received (escaped; only the first 10 bytes if over-long) */
    public String word() {
        return word;
    }

    /** @return whether the word exceeded the 10-byte maximum */
    public boolean isOverLong() {
        return overLong;
    }
}
