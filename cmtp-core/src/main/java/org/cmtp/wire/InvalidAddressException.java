package org.cmtp.wire;

/**
 * An account or domain that breaks the rules of PROTOCOL.md §7: empty where a name is
 * required, over 255 bytes, not encodable as UTF-8, or containing a control character,
 * {@code /}, {@code \} or {@code ..}. Those rules exist because servers look these names up
 * in their stores; they must never be able to act as paths. Recoverable on the command
 * stream (the field was complete when it was checked).
 */
public final class InvalidAddressException extends ProtocolException {

    /** What is wrong with the name. */
    public enum Problem {
        EMPTY("is empty"),
        TOO_LONG("is longer than 255 UTF-8 bytes"),
        NOT_UTF8("cannot be encoded as UTF-8 (unpaired surrogate)"),
        CONTROL_CHARACTER("contains a control character"),
        SLASH("contains '/'"),
        BACKSLASH("contains '\\'"),
        DOT_DOT("contains '..'");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final String field;
    private final Problem problem;

    public InvalidAddressException(String field, Problem problem) {
        super(field + " " + problem.description(), true);
        this.field = field;
        this.problem = problem;
    }

    /** @return the field at fault, e.g. "destination account" */
    public String field() {
        return field;
    }

    /** @return what is wrong with it */
    public Problem problem() {
        return problem;
    }
}
