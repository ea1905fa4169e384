package org.cmtp.server.admin;

import jakarta.ejb.ApplicationException;

/** A change of the admin password that cannot be made, naming the field at fault. */
@ApplicationException(rollback = true)
public class AdminPasswordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public AdminPasswordException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
