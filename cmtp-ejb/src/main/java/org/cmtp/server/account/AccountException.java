package org.cmtp.server.account;

import jakarta.ejb.ApplicationException;

/** A request about accounts that cannot be done, naming the field at fault. */
@ApplicationException(rollback = true)
public class AccountException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind { INVALID, EXISTS, NOT_FOUND }

    private final Kind kind;
    private final String field;

    public AccountException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    static AccountException notFound(String name) {
        return new AccountException(Kind.NOT_FOUND, "name", "no account named '" + name + "'");
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
