package org.cmtp.web.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;

/**
 * A public key's fingerprint for people comparing keys: the first 16 bytes of the key's
 * SHA-256, in hex groups of four, e.g. {@code 3f2a:9c01:…} (8 groups).
 */
final class KeyFingerprint {

    private KeyFingerprint() {
    }

    static String of(byte[] publicKey) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        String hex = HexFormat.of().formatHex(digest, 0, 16);
        StringJoiner groups = new StringJoiner(":");
        for (int i = 0; i < hex.length(); i += 4) {
            groups.add(hex.substring(i, i + 4));
        }
        return groups.toString();
    }
}
