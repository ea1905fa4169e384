package org.cmtp.client;

import org.cmtp.protocol.StatusWord;

/** LOGIN was answered with a signed {@code FAILURE}: the server has no such (enabled) account. */
public class NoSuchAccountException extends CommandFailedException {

    private static final long serialVersionUID = 1L;

    public NoSuchAccountException(String server, String account) {
        super(server, "LOGIN", StatusWord.FAILURE, "no such account '" + account + "'");
    }
}
