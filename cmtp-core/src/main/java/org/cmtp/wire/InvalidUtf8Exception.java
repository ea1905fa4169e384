package org.cmtp.wire;

/**
 * A field that must be UTF-8 is not (strict decoding: overlong forms, surrogates and
 * truncated sequences are all rejected, so a decoded string re-encodes to the same bytes).
 * Recoverable on the command stream, because the field's extent was known before its
 * content was checked.
 */
public final class InvalidUtf8Exception extends ProtocolException {

    private final String field;

    public InvalidUtf8Exception(String field) {
        this(field, true);
    }

    public InvalidUtf8Exception(String field, boolean recoverable) {
        super(field + ": not valid UTF-8", recoverable);
        this.field = field;
    }

    /** @return the field that is not UTF-8, e.g. "log" */
    public String field() {
        return field;
    }
}
