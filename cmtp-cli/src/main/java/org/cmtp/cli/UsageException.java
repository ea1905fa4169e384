package org.cmtp.cli;

/** The command line is wrong: exit code 1, with the usage hint. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
