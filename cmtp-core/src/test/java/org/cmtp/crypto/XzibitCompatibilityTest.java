package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Xzibits against libsodium: scrypt by crypto_pwhash_scryptsalsa208sha256 at its
 * INTERACTIVE limits, then crypto_aead_chacha20poly1305. Each scrypt costs tens of
 * milliseconds, so the counts here are small.
 */
class XzibitCompatibilityTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @RepeatedTest(5)
    void oursOpensWithLibsodium() {
        Ed25519KeyPair user = Ed25519KeyPair.generate(RANDOM);
        byte[] password = randomPassword();
        byte[] bytes = Xzibit.create(password, user, RANDOM).toBytes();
        assertEquals(Xzibit.BYTES, bytes.length);
        byte[] opened = libsodiumOpen(bytes, password);
        assertArrayEquals(concat(user.publicKey(), user.secretKey()), opened);
    }

    @RepeatedTest(5)
    void libsodiumsOpensHere() {
        Ed25519KeyPair user = Ed25519KeyPair.generate(RANDOM);
        byte[] password = randomPassword();
        byte[] salt = new byte[Xzibit.SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] bytes = libsodiumMake(password, salt, user);
        assertEquals(user, Xzibit.parse(bytes).open(password));
        assertArrayEquals(bytes, Xzibit.create(password, user, salt).toBytes(), "deterministic for a salt");
    }

    @Test
    void scryptKeyEqualsLibsodiumsForSeveralPasswords() {
        byte[] salt = new byte[Xzibit.SALT_BYTES];
        for (String password : new String[] {"", "p", "pässwörd ✓", "a much longer passphrase than usual, 64 bytes or more: 0123456789"}) {
            RANDOM.nextBytes(salt);
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(Libsodium.scryptInteractive(bytes, salt), Xzibit.deriveKey(bytes, salt), password);
        }
    }

    /** Flips one byte of salt or ciphertext (the parts only the AEAD can check). */
    @RepeatedTest(6)
    void flippedByteIsRefusedByBoth() {
        Ed25519KeyPair user = Ed25519KeyPair.generate(RANDOM);
        byte[] password = randomPassword();
        byte[] bytes = Xzibit.create(password, user, RANDOM).toBytes();
        Random pick = new Random(RANDOM.nextLong());
        int position = pick.nextBoolean() ? 4 + pick.nextInt(32) : 44 + pick.nextInt(112);
        bytes[position] ^= (byte) (1 + pick.nextInt(255));
        Xzibit damaged = Xzibit.parse(bytes);
        WrongPasswordException e = assertThrows(WrongPasswordException.class, () -> damaged.open(password));
        assertTrue(e.getMessage().contains("password is wrong") && e.getMessage().contains("damaged"),
                e.getMessage());
        assertNull(libsodiumOpen(bytes, password), "libsodium must refuse it too");
    }

    /** Flipping a header byte (version or L) is caught by the parser, before any scrypt. */
    @Test
    void flippedHeaderByteIsATypedParseError() {
        byte[] bytes = Xzibit.create("pw".getBytes(StandardCharsets.UTF_8),
                Ed25519KeyPair.generate(RANDOM), RANDOM).toBytes();
        for (int position : new int[] {0, 1, 2, 3}) {
            byte[] damaged = bytes.clone();
            damaged[position] ^= 0x10;
            assertThrows(UnsupportedCryptoVersionException.class, () -> Xzibit.parse(damaged));
        }
        for (int position = 36; position < 44; position++) {
            byte[] damaged = bytes.clone();
            damaged[position] ^= 0x01;
            assertThrows(MalformedXzibitException.class, () -> Xzibit.parse(damaged));
        }
    }

    @Test
    void wrongPasswordIsRefusedByBoth() {
        Ed25519KeyPair user = Ed25519KeyPair.generate(RANDOM);
        byte[] bytes = Xzibit.create("right".getBytes(StandardCharsets.UTF_8), user, RANDOM).toBytes();
        byte[] wrong = "wrong".getBytes(StandardCharsets.UTF_8);
        assertThrows(WrongPasswordException.class, () -> Xzibit.parse(bytes).open(wrong));
        assertNull(libsodiumOpen(bytes, wrong));
    }

    /** What a libsodium client does: scrypt, then the original ChaCha20-Poly1305. */
    static byte[] libsodiumMake(byte[] password, byte[] salt, Ed25519KeyPair user) {
        byte[] key = Libsodium.scryptInteractive(password, salt);
        byte[] ciphertext = Libsodium.aeadChaCha20Poly1305Encrypt(
                concat(user.publicKey(), user.secretKey()), Arrays.copyOf(salt, 8), key);
        return ByteBuffer.allocate(Xzibit.BYTES).putInt(1).put(salt).putLong(ciphertext.length)
                .put(ciphertext).array();
    }

    static byte[] libsodiumOpen(byte[] xzibit, byte[] password) {
        ByteBuffer buffer = ByteBuffer.wrap(xzibit);
        assertEquals(1, buffer.getInt());
        byte[] salt = new byte[32];
        buffer.get(salt);
        byte[] ciphertext = new byte[(int) buffer.getLong()];
        buffer.get(ciphertext);
        byte[] key = Libsodium.scryptInteractive(password, salt);
        return Libsodium.aeadChaCha20Poly1305Decrypt(ciphertext, Arrays.copyOf(salt, 8), key);
    }

    private static byte[] randomPassword() {
        byte[] password = new byte[1 + RANDOM.nextInt(40)];
        RANDOM.nextBytes(password);
        return password;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
