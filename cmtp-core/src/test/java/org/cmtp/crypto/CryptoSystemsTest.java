package org.cmtp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CryptoSystemsTest {

    private static final Ed25519KeyPair BOB = Ed25519KeyPair.generate(new SecureRandom());
    private static final byte[] BODY = "Reply-To\0Subject\0 2026-11-28T16:00:00Z\0\0hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void versionZeroIsAnIdentityCopy() {
        CryptoSystem plain = CryptoSystems.forVersion(0);
        assertEquals(0, plain.version());
        byte[] sealed = plain.seal(BODY, BOB.publicKey());
        assertArrayEquals(BODY, sealed);
        assertNotSame(BODY, sealed);
        byte[] opened = plain.open(sealed, BOB);
        assertArrayEquals(BODY, opened);
        assertNotSame(sealed, opened);
    }

    @Test
    void versionOneRoundTripsAndHidesTheBody() {
        CryptoSystem sealedBox = CryptoSystems.forVersion(1);
        assertEquals(1, sealedBox.version());
        byte[] sealed = sealedBox.seal(BODY, BOB.publicKey());
        assertEquals(BODY.length + SealedBox.OVERHEAD, sealed.length);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("hello"));
        assertArrayEquals(BODY, sealedBox.open(sealed, BOB));
    }

    @Test
    void versionOneRefusesSomeoneElsesKey() {
        byte[] sealed = CryptoSystems.forVersion(1).seal(BODY, BOB.publicKey());
        Ed25519KeyPair eve = Ed25519KeyPair.generate(new SecureRandom());
        assertThrows(DecryptionFailedException.class, () -> CryptoSystems.forVersion(1).open(sealed, eve));
    }

    @Test
    void versionOneRefusesAnInvalidRecipientKey() {
        assertThrows(InvalidPublicKeyException.class,
                () -> CryptoSystems.forVersion(1).seal(BODY, new byte[32]));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 255, -1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void otherVersionsAreRefusedByNumber(int version) {
        UnsupportedCryptoVersionException e = assertThrows(UnsupportedCryptoVersionException.class,
                () -> CryptoSystems.forVersion(version));
        String unsigned = Integer.toUnsignedString(version);
        assertEquals(Integer.toUnsignedLong(version), e.version());
        assertTrue(e.getMessage().contains("version " + unsigned), e.getMessage());
        assertFalse(CryptoSystems.isSupported(version));
    }

    @Test
    void knownVersionsAreSupported() {
        assertTrue(CryptoSystems.isSupported(0));
        assertTrue(CryptoSystems.isSupported(1));
    }
}
