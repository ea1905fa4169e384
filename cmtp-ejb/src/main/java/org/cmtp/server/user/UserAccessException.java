package org.cmtp.server.user;

import jakarta.ejb.ApplicationException;

/**
 * A request of an account holder that is refused, with what the API should answer: the
 * REST layer maps {@link Kind} to a status and the message to the problem's detail.
 */
@ApplicationException(rollback = false) // a refused sign-in still uses up its challenge
public class UserAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The request is malformed (400). */
        INVALID,
        /** The proof or the token does not hold (401). */
        UNAUTHENTICATED,
        /** No such thing for this account (404, also for other accounts' things: names do not leak). */
        NOT_FOUND,
        /** Too many attempts (429). */
        TOO_MANY,
        /** Too large (413). */
        TOO_LARGE
    }

    private final Kind kind;
    private final String field;

    public UserAccessException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
