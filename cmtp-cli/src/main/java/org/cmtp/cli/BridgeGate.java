package org.cmtp.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import org.cmtp.message.MailAddress;

/**
 * The bridge password, shared by IMAP and SMTP: compared in constant time; every wrong
 * one costs its client a second, and after {@value #MAX_FAILURES} wrong ones within a
 * minute every attempt is refused unchecked until the minute has passed.
 */
final class BridgeGate {

    static final int MAX_FAILURES = 5;
    private static final long WINDOW_MILLIS = 60_000;

    enum Result { OK, WRONG, LIMITED }

    private final MailAddress address;
    private final byte[] password;
    private final Deque<Long> failures = new ArrayDeque<>();

    BridgeGate(MailAddress address, String password) {
        this.address = address;
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    /** The user name must be the account's address (or its account name); the password the bridge's. */
    Result check(String user, String given) {
        synchronized (failures) {
            long now = System.currentTimeMillis();
            while (!failures.isEmpty() && now - failures.peekFirst() > WINDOW_MILLIS) {
                failures.removeFirst();
            }
            if (failures.size() >= MAX_FAILURES) {
                return Result.LIMITED;
            }
        }
        String name = user == null ? "" : user.strip().toLowerCase(Locale.ROOT);
        boolean userOk = name.equals(address.toString().toLowerCase(Locale.ROOT))
                || name.equals(address.account().toLowerCase(Locale.ROOT));
        boolean passwordOk = MessageDigest.isEqual(password,
                (given == null ? "" : given).getBytes(StandardCharsets.UTF_8));
        if (userOk && passwordOk) {
            return Result.OK;
        }
        synchronized (failures) {
            failures.addLast(System.currentTimeMillis());
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Result.WRONG;
    }
}
