package org.cmtp.wire;

/**
 * The input ended inside an item: the peer closed the stream in the middle of a command
 * or reply, or a byte array is shorter than its own fields say. Never recoverable.
 */
public final class TruncatedInputException extends ProtocolException {

    private final String field;

    public TruncatedInputException(String field) {
        super("input ends inside " + field, false);
        this.field = field;
    }

    /** @return the field that was being read when the input ended */
    public String field() {
        return field;
    }
}
