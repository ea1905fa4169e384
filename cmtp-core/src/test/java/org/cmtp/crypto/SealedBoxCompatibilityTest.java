package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Sealed boxes against libsodium's crypto_box_seal / crypto_box_seal_open. */
class SealedBoxCompatibilityTest {

    @Property(tries = 100)
    void oursOpensInLibsodium(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 4096) byte[] message) {
        Recipient to = new Recipient(seed);
        byte[] sealed = SealedBox.seal(message, to.publicKey);
        assertEquals(message.length + SealedBox.OVERHEAD, sealed.length);
        assertArrayEquals(message, Libsodium.boxSealOpen(sealed, to.publicKey, to.secretKey));
    }

    @Property(tries = 100)
    void libsodiumsOpensHere(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 4096) byte[] message) {
        Recipient to = new Recipient(seed);
        byte[] sealed = Libsodium.boxSeal(message, to.publicKey);
        assertArrayEquals(message, SealedBox.open(sealed, to.publicKey, to.secretKey));
        assertArrayEquals(message, CryptoSystems.forVersion(1).open(sealed, to.pair));
    }

    @Property(tries = 200)
    void anyFlippedByteIsRefusedByBoth(@ForAll @Size(32) byte[] seed, @ForAll @Size(max = 300) byte[] message,
            @ForAll @IntRange(min = 0, max = 347) int position, @ForAll @IntRange(min = 1, max = 255) int mask) {
        Recipient to = new Recipient(seed);
        byte[] sealed = SealedBox.seal(message, to.publicKey);
        sealed[position % sealed.length] ^= (byte) mask;
        assertRefusedByBoth(sealed, to);
    }

    @Property(tries = 100)
    void truncatedOrExtendedBoxIsRefusedByBoth(@ForAll @Size(32) byte[] seed,
            @ForAll @Size(max = 100) byte[] message, @ForAll @IntRange(min = 1, max = 148) int cut,
            @ForAll boolean extend) {
        Recipient to = new Recipient(seed);
        byte[] sealed = SealedBox.seal(message, to.publicKey);
        int length = extend ? sealed.length + cut : Math.max(0, sealed.length - cut);
        assertRefusedByBoth(Arrays.copyOf(sealed, length), to);
    }

    @Property(tries = 50)
    void boxForSomeoneElseIsRefused(@ForAll @Size(32) byte[] seed, @ForAll @Size(32) byte[] otherSeed,
            @ForAll @Size(max = 64) byte[] message) {
        Recipient to = new Recipient(seed);
        Recipient other = new Recipient(otherSeed);
        if (!Arrays.equals(seed, otherSeed)) {
            assertRefusedByBoth(SealedBox.seal(message, to.publicKey), other);
        }
    }

    @Example
    void smallOrderRecipientKeyIsRefusedByBoth() {
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        for (byte[] key : new byte[][] {zero, one}) {
            assertNull(Libsodium.boxSeal(new byte[10], key));
            assertThrows(InvalidPublicKeyException.class, () -> SealedBox.seal(new byte[10], key));
        }
    }

    @Example
    void smallOrderEphemeralKeyIsRefusedByBoth() {
        Recipient to = new Recipient(new byte[32]);
        byte[] forged = new byte[SealedBox.OVERHEAD + 5]; // E = 0, a point of small order
        assertRefusedByBoth(forged, to);
    }

    private static void assertRefusedByBoth(byte[] sealed, Recipient to) {
        DecryptionFailedException e = assertThrows(DecryptionFailedException.class,
                () -> SealedBox.open(sealed, to.publicKey, to.secretKey));
        assertEquals(true, e.getMessage().startsWith("sealed box"), e.getMessage());
        assertNull(Libsodium.boxSealOpen(sealed, to.publicKey, to.secretKey));
    }

    /** A recipient with its Ed25519 pair and libsodium-converted X25519 keys. */
    static final class Recipient {
        final Ed25519KeyPair pair;
        final byte[] publicKey;
        final byte[] secretKey;

        Recipient(byte[] seed) {
            pair = Ed25519KeyPair.fromSeed(seed);
            publicKey = Libsodium.pkToCurve25519(pair.publicKey());
            secretKey = Libsodium.skToCurve25519(pair.secretKey());
        }
    }
}
