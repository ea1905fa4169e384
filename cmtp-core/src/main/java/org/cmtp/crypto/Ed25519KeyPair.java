package org.cmtp.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair in libsodium's {@code crypto_sign} form: a 32-byte public key and
 * a 64-byte secret key that is the 32-byte seed followed by the public key.
 *
 * <p>Every server and user of CMTP has one. The public key is what {@code KEYREQUEST}
 * hands out; the secret key signs replies (server) or opens mail (user, after
 * conversion to X25519 by {@link BoxKeys}).
 *
 * <p>Instances are immutable: arrays are copied in and out. A pair is only ever built
 * with a public key that really belongs to its seed, which is what makes it safe for
 * {@link Signatures#sign(Ed25519KeyPair, byte[])} to skip that check: signing one seed
 * under two different public keys would leak the secret scalar.
 */
public final class Ed25519KeyPair {

    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SEED_BYTES = 32;
    public static final int SECRET_KEY_BYTES = 64;

    private final byte[] publicKey;
    private final byte[] secretKey;

    private Ed25519KeyPair(byte[] secretKey) {
        this.secretKey = secretKey;
        this.publicKey = Arrays.copyOfRange(secretKey, SEED_BYTES, SECRET_KEY_BYTES);
    }

    /** The key pair of a 32-byte seed, as {@code crypto_sign_seed_keypair}. */
    public static Ed25519KeyPair fromSeed(byte[] seed) {
        Lengths.require(seed, SEED_BYTES, "Ed25519 seed");
        byte[] sk = new byte[SECRET_KEY_BYTES];
        System.arraycopy(seed, 0, sk, 0, SEED_BYTES);
        Ed25519.generatePublicKey(sk, 0, sk, SEED_BYTES);
        return new Ed25519KeyPair(sk);
    }

    /** A fresh key pair from {@code random}, as {@code crypto_sign_keypair}. */
    public static Ed25519KeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[SEED_BYTES];
        random.nextBytes(seed);
        try {
            return fromSeed(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * The key pair of a 64-byte libsodium secret key (seed ‖ public key).
     *
     * @throws IllegalArgumentException if the length is wrong or the public-key half is
     *                                  not the public key of the seed half
     */
    public static Ed25519KeyPair fromSecretKey(byte[] secretKey) {
        Lengths.require(secretKey, SECRET_KEY_BYTES, "Ed25519 secret key");
        byte[] derived = new byte[PUBLIC_KEY_BYTES];
        Ed25519.generatePublicKey(secretKey, 0, derived, 0);
        if (!Arrays.equals(derived, 0, PUBLIC_KEY_BYTES, secretKey, SEED_BYTES, SECRET_KEY_BYTES)) {
            throw new IllegalArgumentException(
                    "Ed25519 secret key: its public-key half does not match its seed");
        }
        return new Ed25519KeyPair(secretKey.clone());
    }

    /** The 32-byte public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 64-byte libsodium secret key, seed ‖ public key (a copy: wipe it after use). */
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** The 32-byte seed (a copy: wipe it after use). */
    public byte[] seed() {
        return Arrays.copyOf(secretKey, SEED_BYTES);
    }

    /** The secret key without copying, for the signing and conversion code. */
    byte[] secretKeyView() {
        return secretKey;
    }

    /** The public key without copying, for the signing code. */
    byte[] publicKeyView() {
        return publicKey;
    }

    /** Equal when the secret keys are equal; compared in constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Ed25519KeyPair
                && MessageDigest.isEqual(secretKey, ((Ed25519KeyPair) other).secretKey);
    }

    /** Hashes the public key only: equal pairs have equal public keys. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /** Shows the public key only; the secret key never appears in logs. */
    @Override
    public String toString() {
        return "Ed25519KeyPair[publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
