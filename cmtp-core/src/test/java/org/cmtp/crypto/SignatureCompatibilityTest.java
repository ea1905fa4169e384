package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Ed25519 keys and signatures against libsodium, on random seeds and messages. */
class SignatureCompatibilityTest {

    @Property(tries = 100)
    void keyPairFromSeedEqualsLibsodium(@ForAll @Size(32) byte[] seed) {
        byte[][] sodium = Libsodium.signSeedKeypair(seed);
        Ed25519KeyPair ours = Ed25519KeyPair.fromSeed(seed);
        assertArrayEquals(sodium[0], ours.publicKey());
        assertArrayEquals(sodium[1], ours.secretKey());
    }

    @Property(tries = 150)
    void ourSignatureIsLibsodiumsAndVerifiesThere(@ForAll @Size(32) byte[] seed,
            @ForAll @Size(max = 2048) byte[] message) {
        Ed25519KeyPair signer = Ed25519KeyPair.fromSeed(seed);
        byte[] signature = Signatures.sign(signer, message);
        assertArrayEquals(Libsodium.signDetached(message, signer.secretKey()), signature,
                "Ed25519 is deterministic: both must give the same bytes");
        assertTrue(Libsodium.verifyDetached(signature, message, signer.publicKey()));
    }

    @Property(tries = 150)
    void libsodiumSignatureVerifiesHere(@ForAll @Size(32) byte[] seed,
            @ForAll @Size(max = 2048) byte[] message) {
        byte[][] sodium = Libsodium.signSeedKeypair(seed);
        byte[] signature = Libsodium.signDetached(message, sodium[1]);
        assertTrue(Signatures.verify(sodium[0], message, signature));
        Signatures.verifyOrThrow(sodium[0], message, signature);
    }

    @Property(tries = 200)
    void flippedSignatureByteIsRefusedByBoth(@ForAll @Size(32) byte[] seed,
            @ForAll @Size(max = 512) byte[] message,
            @ForAll @IntRange(min = 0, max = 63) int position,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        Ed25519KeyPair signer = Ed25519KeyPair.fromSeed(seed);
        byte[] signature = Signatures.sign(signer, message);
        signature[position] ^= (byte) mask;
        assertRefusedByBoth(signer.publicKey(), message, signature);
    }

    @Property(tries = 200)
    void flippedMessageByteIsRefusedByBoth(@ForAll @Size(32) byte[] seed,
            @ForAll @Size(min = 1, max = 512) byte[] message,
            @ForAll @IntRange(min = 0, max = 511) int position,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        Ed25519KeyPair signer = Ed25519KeyPair.fromSeed(seed);
        byte[] signature = Signatures.sign(signer, message);
        message[position % message.length] ^= (byte) mask;
        assertRefusedByBoth(signer.publicKey(), message, signature);
    }

    @Property(tries = 100)
    void otherKeyIsRefusedByBoth(@ForAll @Size(32) byte[] seed, @ForAll @Size(32) byte[] otherSeed,
            @ForAll @Size(max = 256) byte[] message) {
        byte[] signature = Signatures.sign(Ed25519KeyPair.fromSeed(seed), message);
        byte[] otherKey = Ed25519KeyPair.fromSeed(otherSeed).publicKey();
        boolean sameKey = java.util.Arrays.equals(seed, otherSeed);
        assertEquals(sameKey, Signatures.verify(otherKey, message, signature));
        assertEquals(sameKey, Libsodium.verifyDetached(signature, message, otherKey));
    }

    @Property(tries = 200)
    void randomPublicKeyAndSignatureAgreeWithLibsodium(@ForAll @Size(32) byte[] publicKey,
            @ForAll @Size(64) byte[] signature, @ForAll @Size(max = 64) byte[] message) {
        assertEquals(Libsodium.verifyDetached(signature, message, publicKey),
                Signatures.verify(publicKey, message, signature));
    }

    @Property(tries = 50)
    void nonCanonicalSIsRefusedByBoth(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 64) byte[] message) {
        Ed25519KeyPair signer = Ed25519KeyPair.fromSeed(seed);
        byte[] signature = Signatures.sign(signer, message);
        // S + L verifies in a naive check (same scalar mod L) but is not canonical.
        BigInteger order = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        BigInteger s = littleEndian(signature, 32).add(order);
        System.arraycopy(toLittleEndian32(s), 0, signature, 32, 32);
        assertRefusedByBoth(signer.publicKey(), message, signature);
    }

    @Example
    void smallOrderRIsRefusedByBoth() {
        Ed25519KeyPair signer = Ed25519KeyPair.fromSeed(new byte[32]);
        byte[] message = "KEYNOTAVAILABLE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] signature = new byte[64];
        signature[0] = 1; // R = identity, S = 0: "valid" for any message under a cofactored check
        assertRefusedByBoth(signer.publicKey(), message, signature);
        byte[] identityKey = new byte[32];
        identityKey[0] = 1;
        assertRefusedByBoth(identityKey, message, signature);
    }

    private static BigInteger littleEndian(byte[] bytes, int offset) {
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[31 - i] = bytes[offset + i];
        }
        return new BigInteger(1, bigEndian);
    }

    private static byte[] toLittleEndian32(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    private static void assertRefusedByBoth(byte[] publicKey, byte[] message, byte[] signature) {
        assertFalse(Signatures.verify(publicKey, message, signature));
        assertThrows(SignatureInvalidException.class,
                () -> Signatures.verifyOrThrow(publicKey, message, signature));
        assertFalse(Libsodium.verifyDetached(signature, message, publicKey));
    }
}
