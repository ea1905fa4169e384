package org.cmtp.crypto;

import org.cmtp.sodium.Libsodium;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Ed25519 → X25519 conversions against libsodium. */
class BoxKeysCompatibilityTest {

    @Property(tries = 150)
    void convertedKeysEqualLibsodiums(@ForAll @Size(32) byte[] seed) {
        Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(seed);
        assertArrayEquals(Libsodium.pkToCurve25519(pair.publicKey()), BoxKeys.toX25519PublicKey(pair.publicKey()));
        assertArrayEquals(Libsodium.skToCurve25519(pair.secretKey()), BoxKeys.toX25519SecretKey(pair));
        assertArrayEquals(Libsodium.skToCurve25519(pair.secretKey()), BoxKeys.toX25519SecretKey(pair.secretKey()));
    }

    /**
     * Random 32 bytes are mostly not keys of the prime-order subgroup: we must refuse
     * exactly what libsodium refuses, and agree on the rest.
     */
    @Property(tries = 400)
    void arbitraryBytesAreAcceptedOrRefusedLikeLibsodium(@ForAll @Size(32) byte[] candidate) {
        assertConvertsLikeLibsodium(candidate);
    }

    @Example
    void smallOrderEncodingsAreRefusedByBoth() {
        String[] smallOrder = {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            // the same with the sign bit of x set
            "0000000000000000000000000000000000000000000000000000000000000080",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        };
        for (String hex : smallOrder) {
            byte[] key = HexFormat.of().parseHex(hex);
            assertNull(Libsodium.pkToCurve25519(key), hex);
            assertThrows(InvalidPublicKeyException.class, () -> BoxKeys.toX25519PublicKey(key), hex);
        }
    }

    @Example
    void mixedOrderPointIsRefusedByBoth() {
        // A valid key plus a point of order 8: on the curve, but outside the subgroup.
        byte[] key = Ed25519KeyPair.fromSeed(new byte[32]).publicKey();
        byte[] torsion = HexFormat.of().parseHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
        byte[] mixed = EdwardsPoints.add(key, torsion);
        assertNull(Libsodium.pkToCurve25519(mixed));
        assertThrows(InvalidPublicKeyException.class, () -> BoxKeys.toX25519PublicKey(mixed));
    }

    @Example
    void keyPlusTheOrderTwoPointIsAcceptedByBoth() {
        // libsodium 1.0.18's subgroup test only checks that [L]A has x = 0, which the
        // point (0, -1) of order 2 also has; we follow it, and must give the same u.
        byte[] key = Ed25519KeyPair.fromSeed(new byte[32]).publicKey();
        byte[] orderTwo = HexFormat.of().parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        byte[] mixed = EdwardsPoints.add(key, orderTwo);
        byte[] sodium = Libsodium.pkToCurve25519(mixed);
        assertArrayEquals(sodium, BoxKeys.toX25519PublicKey(mixed));
    }

    private static void assertConvertsLikeLibsodium(byte[] candidate) {
        byte[] sodium = Libsodium.pkToCurve25519(candidate);
        if (sodium == null) {
            assertThrows(InvalidPublicKeyException.class, () -> BoxKeys.toX25519PublicKey(candidate));
        } else {
            assertArrayEquals(sodium, BoxKeys.toX25519PublicKey(candidate));
        }
    }
}
