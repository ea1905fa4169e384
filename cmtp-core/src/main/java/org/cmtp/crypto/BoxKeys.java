package org.cmtp.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Converts Ed25519 signing keys into the X25519 keys that sealed boxes use.
 *
 * <p>CMTP hands out one key per participant, the Ed25519 one; mail is sealed to its
 * X25519 image. Both directions are libsodium's:
 * {@code crypto_sign_ed25519_pk_to_curve25519} maps the Edwards point (x, y) to the
 * Montgomery u = (1+y)/(1−y) mod 2^255−19, and
 * {@code crypto_sign_ed25519_sk_to_curve25519} takes the first 32 bytes of
 * SHA-512(seed), clamped, i.e. the very scalar Ed25519 signs with.
 */
public final class BoxKeys {

    public static final int X25519_KEY_BYTES = 32;

    private BoxKeys() {
    }

    /**
     * The X25519 public key of an Ed25519 public key.
     *
     * <p>Refuses what libsodium 1.0.18 refuses: encodings of small-order points, keys
     * that are not on the curve, and keys outside the prime-order subgroup, where
     * libsodium's subgroup test ({@code ge25519_is_on_main_subgroup}, which checks that
     * [L]A has x = 0) also lets through a point of order 2L, i.e. a prime-order point
     * plus the point (0, −1) of order 2. We accept those too, to agree with libsodium on
     * every key: the order-2 part is harmless here, since X25519 scalars are multiples
     * of 8. The one difference: libsodium reduces the few non-canonical encodings
     * (y ≥ p) that are not on its small-order list, we refuse them; no honest key is
     * encoded that way.
     *
     * @throws IllegalArgumentException  if the key is not 32 bytes
     * @throws InvalidPublicKeyException if the key is not a usable point
     */
    public static byte[] toX25519PublicKey(byte[] ed25519PublicKey) {
        Lengths.require(ed25519PublicKey, Ed25519KeyPair.PUBLIC_KEY_BYTES, "Ed25519 public key");
        if (SmallOrderPoints.contains(ed25519PublicKey, 0) || !inLibsodiumsMainSubgroup(ed25519PublicKey)) {
            throw new InvalidPublicKeyException(
                    "Ed25519 public key is not a valid point of prime order; cannot convert it to X25519");
        }
        return montgomeryU(ed25519PublicKey);
    }

    /** A has order L, or A + (0, −1) = (−x, −y) has (libsodium's [L]A has x = 0). */
    private static boolean inLibsodiumsMainSubgroup(byte[] point) {
        return Ed25519.validatePublicKeyFull(point, 0)
                || Ed25519.validatePublicKeyFull(negatedCoordinates(point), 0);
    }

    /**
     * The encoding of (−x, −y) for the point (x, y) encoded in {@code point}; x ≠ 0
     * here (only y = ±1 have x = 0, and they are on the small-order list), so the sign
     * bit of x flips.
     */
    private static byte[] negatedCoordinates(byte[] point) {
        int[] y = X25519Field.create();
        X25519Field.decode(point, 0, y);
        X25519Field.negate(y, y);
        X25519Field.normalize(y);
        byte[] negated = new byte[Ed25519KeyPair.PUBLIC_KEY_BYTES];
        X25519Field.encode(y, negated, 0);
        negated[31] |= (byte) (~point[31] & 0x80);
        return negated;
    }

    /** u = (1+y)/(1−y); y ≠ 1 is guaranteed by the small-order check. */
    private static byte[] montgomeryU(byte[] edwardsPoint) {
        int[] y = X25519Field.create();
        X25519Field.decode(edwardsPoint, 0, y); // ignores the sign bit of x
        int[] numerator = X25519Field.create();
        int[] denominator = X25519Field.create();
        X25519Field.one(numerator);
        X25519Field.add(numerator, y, numerator);
        X25519Field.one(denominator);
        X25519Field.sub(denominator, y, denominator);
        X25519Field.normalize(numerator);
        X25519Field.normalize(denominator);
        X25519Field.inv(denominator, denominator);
        X25519Field.mul(numerator, denominator, numerator);
        X25519Field.normalize(numerator);
        byte[] u = new byte[X25519_KEY_BYTES];
        X25519Field.encode(numerator, u, 0);
        return u;
    }

    /** The X25519 secret key of a key pair (a fresh array: wipe it after use). */
    public static byte[] toX25519SecretKey(Ed25519KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        return clampedScalarOfSeed(keyPair.secretKeyView());
    }

    /**
     * The X25519 secret key of a 64-byte libsodium Ed25519 secret key; like libsodium,
     * only its seed half is used.
     */
    public static byte[] toX25519SecretKey(byte[] ed25519SecretKey) {
        Lengths.require(ed25519SecretKey, Ed25519KeyPair.SECRET_KEY_BYTES, "Ed25519 secret key");
        return clampedScalarOfSeed(ed25519SecretKey);
    }

    private static byte[] clampedScalarOfSeed(byte[] secretKey) {
        SHA512Digest sha512 = new SHA512Digest();
        sha512.update(secretKey, 0, Ed25519KeyPair.SEED_BYTES);
        byte[] hash = new byte[64];
        sha512.doFinal(hash, 0);
        byte[] scalar = Arrays.copyOf(hash, X25519_KEY_BYTES);
        Arrays.fill(hash, (byte) 0);
        scalar[0] &= (byte) 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return scalar;
    }
}
