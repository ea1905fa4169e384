package org.cmtp.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What an account holder signs to sign in to the user API (README "Users"): proof that
 * they hold the account's Ed25519 key, bound to one server, one account, one single-use
 * challenge and an expiry, so that the signature is worth nothing anywhere else.
 *
 * <pre>
 *   "CMTP-SIGNIN-1" ‖ \0 ‖ domain ‖ \0 ‖ account ‖ \0 ‖ server public key (32)
 *                   ‖ challenge (32) ‖ expiry (u64, seconds since 1970-01-01T00:00Z, big-endian)
 * </pre>
 *
 * {@code domain} is canonical ({@link DomainNames#canonical}), {@code account} as the
 * account's name; strings are UTF-8. The signature is Ed25519 ({@code crypto_sign_detached})
 * with the account's secret key.
 */
public final class SignInStatement {

    /** Opens every statement: a signature over it can mean nothing else. */
    public static final String LABEL = "CMTP-SIGNIN-1";
    public static final int CHALLENGE_BYTES = 32;

    private SignInStatement() {
    }

    /** @return the exact bytes to sign */
    public static byte[] bytes(String domain, String account, byte[] serverKey, byte[] challenge, Instant expires) {
        if (serverKey.length != KeyReply.PUBLIC_KEY_BYTES || challenge.length != CHALLENGE_BYTES) {
            throw new IllegalArgumentException("a sign-in statement holds a 32-byte server key and a 32-byte challenge");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        writeString(out, LABEL);
        writeString(out, DomainNames.canonical(domain));
        writeString(out, account);
        out.writeBytes(serverKey);
        out.writeBytes(challenge);
        out.writeBytes(ByteBuffer.allocate(8).putLong(expires.getEpochSecond()).array());
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
