package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Empty and multi-megabyte mail bodies, both directions against libsodium. */
class LargeMessageTest {

    private static final int FOUR_MIB = 4 << 20;

    private final SealedBoxCompatibilityTest.Recipient to =
            new SealedBoxCompatibilityTest.Recipient(seed());

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 32, 33, 63, 64, 65, FOUR_MIB - 1, FOUR_MIB})
    void oursOpensInLibsodium(int size) {
        byte[] message = randomBytes(size);
        assertArrayEquals(message, Libsodium.boxSealOpen(SealedBox.seal(message, to.publicKey),
                to.publicKey, to.secretKey));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 64, FOUR_MIB + 7})
    void libsodiumsOpensHere(int size) {
        byte[] message = randomBytes(size);
        assertArrayEquals(message, SealedBox.open(Libsodium.boxSeal(message, to.publicKey),
                to.publicKey, to.secretKey));
    }

    @Test
    void flippedLastByteOfLargeBoxIsRefusedByBoth() {
        byte[] sealed = SealedBox.seal(randomBytes(FOUR_MIB), to.publicKey);
        sealed[sealed.length - 1] ^= 1;
        assertThrows(DecryptionFailedException.class, () -> SealedBox.open(sealed, to.publicKey, to.secretKey));
        assertNull(Libsodium.boxSealOpen(sealed, to.publicKey, to.secretKey));
    }

    @Test
    void largeSignedMessageIsCompatible() {
        byte[] message = randomBytes(FOUR_MIB);
        byte[] signature = Signatures.sign(to.pair, message);
        assertArrayEquals(Libsodium.signDetached(message, to.pair.secretKey()), signature);
        Signatures.verifyOrThrow(to.pair.publicKey(), message, signature);
    }

    @Test
    void largeHashIsCompatible() {
        byte[] message = randomBytes(FOUR_MIB);
        assertArrayEquals(Libsodium.genericHash(64, message), Blake2b.hash512(message));
    }

    private static byte[] seed() {
        return randomBytes(32);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size * 31L + 7).nextBytes(bytes);
        return bytes;
    }
}
