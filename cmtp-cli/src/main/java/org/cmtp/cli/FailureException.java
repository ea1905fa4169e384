package org.cmtp.cli;

/** The command ran and failed for a reason the user should read: exit code 2, one line. */
final class FailureException extends Exception {

    private static final long serialVersionUID = 1L;

    FailureException(String message) {
        super(message);
    }

    FailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
