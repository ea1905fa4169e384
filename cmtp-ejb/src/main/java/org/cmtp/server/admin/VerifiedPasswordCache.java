package org.cmtp.server.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Remembers, for a few minutes, a keyed digest of the last password that matched the
 * stored hash. HTTP Basic sends the password with every request; without this each
 * console request would pay the full PBKDF2 cost (about 0.1 s of CPU). A wrong password
 * never enters the cache, so guessing still pays the full cost.
 */
final class VerifiedPasswordCache {

    private static final Duration LIFETIME = Duration.ofMinutes(5);

    private record Entry(String hash, byte[] digest, long expiresAtNanos) {
    }

    private volatile Entry entry;

    boolean contains(String hash, char[] password) {
        Entry current = entry;
        return current != null && current.hash.equals(hash) && System.nanoTime() < current.expiresAtNanos
                && MessageDigest.isEqual(current.digest, digest(hash, password));
    }

    void remember(String hash, char[] password) {
        entry = new Entry(hash, digest(hash, password), System.nanoTime() + LIFETIME.toNanos());
    }

    private static byte[] digest(String hash, char[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(hash.getBytes(StandardCharsets.UTF_8));
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] raw = new byte[bytes.remaining()];
            bytes.get(raw);
            byte[] result = sha.digest(raw);
            Arrays.fill(raw, (byte) 0);
            return result;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
