package org.cmtp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.cmtp.vectors.Vectors;
import org.junit.jupiter.api.Test;

/** Wrong-sized arguments, malformed inputs, and what objects reveal about themselves. */
class InputValidationTest {

    private static final Ed25519KeyPair USER = Ed25519KeyPair.fromSeed(Vectors.hex("user_seed.hex"));

    @Test
    void keyPairCopiesInAndOut() {
        byte[] seed = Vectors.hex("user_seed.hex");
        Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(seed);
        seed[0] ^= 1;
        pair.publicKey()[0] ^= 1;
        pair.secretKey()[0] ^= 1;
        assertEquals(USER, pair);
        assertArrayEquals(Vectors.hex("user_ed25519_sk.hex"), pair.secretKey());
        assertArrayEquals(Vectors.hex("user_seed.hex"), pair.seed());
    }

    @Test
    void keyPairEqualityIsByValue() {
        Ed25519KeyPair same = Ed25519KeyPair.fromSecretKey(Vectors.hex("user_ed25519_sk.hex"));
        assertEquals(USER, same);
        assertEquals(USER.hashCode(), same.hashCode());
        assertNotEquals(USER, Ed25519KeyPair.fromSeed(Vectors.hex("server_seed.hex")));
        assertNotEquals(USER, "not a key pair");
    }

    @Test
    void toStringShowsThePublicKeyOnly() {
        String shown = USER.toString();
        String seedHex = HexFormat.of().formatHex(USER.seed());
        assertTrue(shown.contains(HexFormat.of().formatHex(USER.publicKey())), shown);
        assertFalse(shown.contains(seedHex.substring(0, 16)), shown);
    }

    @Test
    void generatedKeyPairsDiffer() {
        SecureRandom random = new SecureRandom();
        assertNotEquals(Ed25519KeyPair.generate(random), Ed25519KeyPair.generate(random));
    }

    @Test
    void secretKeyWithForeignPublicHalfIsRefused() {
        byte[] sk = Vectors.hex("user_ed25519_sk.hex");
        System.arraycopy(Vectors.hex("server_ed25519_pk.hex"), 0, sk, 32, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ed25519KeyPair.fromSecretKey(sk));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signatures.sign(sk, new byte[1]));
    }

    @Test
    void wrongLengthsNameTheProblem() {
        assertLengthError("Ed25519 seed must be 32 bytes, got 31", () -> Ed25519KeyPair.fromSeed(new byte[31]));
        assertLengthError("Ed25519 secret key must be 64 bytes, got 32",
                () -> Ed25519KeyPair.fromSecretKey(new byte[32]));
        assertLengthError("Ed25519 public key must be 32 bytes, got 33",
                () -> Signatures.verify(new byte[33], new byte[0], new byte[64]));
        assertLengthError("Ed25519 signature must be 64 bytes, got 63",
                () -> Signatures.verify(USER.publicKey(), new byte[0], new byte[63]));
        assertLengthError("Ed25519 public key must be 32 bytes, got 64",
                () -> BoxKeys.toX25519PublicKey(new byte[64]));
        assertLengthError("recipient X25519 public key must be 32 bytes, got 31",
                () -> SealedBox.seal(new byte[1], new byte[31]));
        assertLengthError("recipient X25519 secret key must be 32 bytes, got 64",
                () -> SealedBox.open(new byte[60], new byte[32], new byte[64]));
        assertLengthError("xzibit salt must be 32 bytes, got 8",
                () -> Xzibit.create(new byte[1], USER, new byte[8]));
        assertLengthError("BLAKE2b output length must be 1..64 bytes, got 65", () -> Blake2b.withOutputLength(65));
        assertLengthError("BLAKE2b output length must be 1..64 bytes, got 0", () -> Blake2b.withOutputLength(0));
    }

    @Test
    void signingASliceEqualsSigningACopy() {
        byte[] buffer = "xxKEYNOTAVAILABLE\0yy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] signature = Signatures.sign(USER, buffer, 2, 16);
        assertArrayEquals(Signatures.sign(USER, java.util.Arrays.copyOfRange(buffer, 2, 18)), signature);
        assertTrue(Signatures.verify(USER.publicKey(), buffer, 2, 16, signature));
        assertThrows(IndexOutOfBoundsException.class, () -> Signatures.sign(USER, buffer, 10, 16));
    }

    @Test
    void shortSealedBoxSaysSo() {
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class,
                () -> SealedBox.open(new byte[47], new byte[32], new byte[32]));
        assertEquals("sealed box too short: 47 bytes, a sealed box has at least 48", e.getMessage());
    }

    @Test
    void sealedBoxOpensFromTheMiddleOfABuffer() {
        byte[] pk = Vectors.hex("user_curve25519_pk.hex");
        byte[] sk = Vectors.hex("user_curve25519_sk.hex");
        byte[] sealed = Vectors.bytes("sealed.bin");
        byte[] framed = ByteBuffer.allocate(sealed.length + 10).put(new byte[3]).put(sealed).array();
        assertArrayEquals(Vectors.bytes("message.txt"), SealedBox.open(framed, 3, sealed.length, pk, sk));
    }

    @Test
    void xzibitParserChecksLengthsBeforeAllocating() {
        byte[] good = Vectors.bytes("xzibit.bin");
        assertParseError(MalformedXzibitException.class, "xzibit too short: 43 bytes, its header alone is 44",
                java.util.Arrays.copyOf(good, 43));
        assertParseError(MalformedXzibitException.class,
                "xzibit truncated: L = 112 but only 111 bytes follow the header", java.util.Arrays.copyOf(good, 155));
        assertParseError(MalformedXzibitException.class, "xzibit has 1 unexpected bytes after its ciphertext",
                java.util.Arrays.copyOf(good, 157));
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putLong(36, -1L); // L = 2^64 - 1: must not be allocated
        assertParseError(MalformedXzibitException.class,
                "xzibit ciphertext length L = 18446744073709551615, a version-1 xzibit has L = 112", huge);
        byte[] version2 = good.clone();
        version2[3] = 2;
        assertParseError(UnsupportedCryptoVersionException.class,
                "unsupported crypto version 2 in xzibit (supported: 0 (plaintext), 1 (sealed box))", version2);
    }

    @Test
    void xzibitRoundTripsThroughBytes() {
        Xzibit xzibit = Xzibit.parse(Vectors.bytes("xzibit.bin"));
        assertEquals(xzibit, Xzibit.parse(xzibit.toBytes()));
        assertArrayEquals(Vectors.bytes("xzibit.bin"), xzibit.toBytes());
        assertFalse(xzibit.toString().contains("18be8d7d"), "toString shows no ciphertext");
    }

    @Test
    void finishedHashCannotBeReused() {
        Blake2b hash = Blake2b.hash512();
        hash.update(new byte[3]).finish();
        assertThrows(IllegalStateException.class, () -> hash.update(new byte[1]));
        assertThrows(IllegalStateException.class, hash::finish);
        assertThrows(IllegalStateException.class, hash::copy);
    }

    private static void assertLengthError(String message, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    private static void assertParseError(Class<? extends CryptoException> type, String message, byte[] bytes) {
        CryptoException e = assertThrows(type, () -> Xzibit.parse(bytes));
        assertEquals(message, e.getMessage());
    }
}
