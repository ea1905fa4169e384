package org.cmtp.wire;

/**
 * A message, plaintext body or attachment decoded from a complete byte array is
 * inconsistent in a way no other exception names: bytes after the last attachment, or
 * non-NUL padding in an attachment's file-name field. Not raised on the command stream,
 * where the lengths frame every field.
 */
public final class MalformedMessageException extends ProtocolException {

    private final String field;

    public MalformedMessageException(String field, String reason) {
        super(field + ": " + reason, false);
        this.field = field;
    }

    /** @return the field at fault */
    public String field() {
        return field;
    }
}
