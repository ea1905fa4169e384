package org.cmtp.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.InvalidAddressException.Problem;
import org.cmtp.wire.WireString;

/**
 * An account at a domain, {@code account@domain}.
 *
 * <p>Construction accepts any strings, so that a server can hold and report what a peer
 * sent; the {@code validate} methods apply PROTOCOL.md §7 (non-empty UTF-8 without control
 * characters, {@code /}, {@code \} or {@code ..}, and at most 255 bytes, the size of a wire
 * string). The empty account is special: it names the server itself (the destination of
 * a message to the server, the source of a server's delivery notice), so the rules for an
 * account that may be the server are separate from the rules for a user's mailbox.
 */
public record MailAddress(String account, String domain) {

    /** The account that names the server itself. */
    public static final String SERVER_ACCOUNT = "";

    public MailAddress {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(domain, "domain");
    }

    /**
     * Reads {@code account@domain} as people write it (the domain after the last {@code @})
     * and checks both parts against PROTOCOL.md §7.
     *
     * @throws InvalidAddressException naming the part at fault: "account is empty" for
     *                                 {@code @x}, "domain is empty" for a text without {@code @}
     */
    public static MailAddress parse(String text) throws InvalidAddressException {
        int at = text.lastIndexOf('@');
        MailAddress address = at < 0 ? new MailAddress(text, "")
                : new MailAddress(text.substring(0, at), text.substring(at + 1));
        address.validate();
        return address;
    }

    /** @return the address of the server of {@code domain} */
    public static MailAddress server(String domain) {
        return new MailAddress(SERVER_ACCOUNT, domain);
    }

    /** @return true if the account is empty, i.e. this is the server of the domain */
    public boolean isServer() {
        return account.isEmpty();
    }

    /** Checks a user's mailbox: account and domain both non-empty and valid. */
    public void validate() throws InvalidAddressException {
        validateName("account", account);
        validateName("domain", domain);
    }

    /**
     * Checks an address that may be the server's (a message's destination or source): the
     * account may be empty, the domain may not.
     *
     * @param role prefixed to the field names in errors, e.g. "destination"
     */
    public void validateAllowingServer(String role) throws InvalidAddressException {
        validateAccountAllowingServer(role + " account", account);
        validateName(role + " domain", domain);
    }

    /** Checks an account that may be empty (= the server); other accounts as {@link #validateName}. */
    public static void validateAccountAllowingServer(String field, String account) throws InvalidAddressException {
        if (!account.isEmpty()) {
            validateName(field, account);
        }
    }

    /**
     * Checks a non-empty account or domain name against PROTOCOL.md §7.
     *
     * @param field named in the error, e.g. "KEYREQUEST user"
     */
    public static void validateName(String field, String name) throws InvalidAddressException {
        Problem problem = problemWith(name);
        if (problem != null) {
            throw new InvalidAddressException(field, problem);
        }
    }

    private static Problem problemWith(String name) {
        if (name.isEmpty()) {
            return Problem.EMPTY;
        }
        if (hasUnpairedSurrogate(name)) {
            return Problem.NOT_UTF8;
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > WireString.MAX_BYTES) {
            return Problem.TOO_LONG;
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return Problem.CONTROL_CHARACTER;
        }
        if (name.indexOf('/') >= 0) {
            return Problem.SLASH;
        }
        if (name.indexOf('\\') >= 0) {
            return Problem.BACKSLASH;
        }
        if (name.contains("..")) {
            return Problem.DOT_DOT;
        }
        return null;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return account + "@" + domain;
    }
}
