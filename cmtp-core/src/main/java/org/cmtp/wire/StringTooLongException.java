package org.cmtp.wire;

/**
 * A {@code \0}-terminated field ran past its maximum without a {@code \0}: a wire string
 * with more than 255 bytes, or a text reply over the client's limit. Never recoverable:
 * without the terminator the decoder cannot know where the field ends.
 */
public final class StringTooLongException extends ProtocolException {

    private final String field;
    private final int limit;

    public StringTooLongException(String field, int limit) {
        super(field + ": no \\0 within " + limit + " bytes", false);
        this.field = field;
        this.limit = limit;
    }

    /** @return the field being read, e.g. "destination domain" */
    public String field() {
        return field;
    }

    /** @return the most bytes the field may hold before its {@code \0} */
    public int limit() {
        return limit;
    }
}
