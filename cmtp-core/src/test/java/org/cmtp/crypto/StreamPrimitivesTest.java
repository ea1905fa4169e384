package org.cmtp.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Our speed-written XSalsa20 and Poly1305 against BouncyCastle's reference engines,
 * fed in arbitrary pieces (the sealed box feeds 32 bytes, then 16 KiB pieces).
 */
class StreamPrimitivesTest {

    @Property(tries = 200)
    void xsalsa20EqualsBouncyCastleInAnyPieces(@ForAll @Size(32) byte[] key, @ForAll @Size(24) byte[] nonce,
            @ForAll @Size(max = 1500) byte[] message, @ForAll @IntRange(min = 1, max = 200) int piece) {
        byte[] expected = new byte[message.length];
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        engine.processBytes(message, 0, message.length, expected, 0);

        byte[] actual = new byte[message.length];
        XSalsa20 stream = new XSalsa20(key, nonce);
        for (int done = 0; done < message.length; done += piece) {
            stream.xor(message, done, actual, done, Math.min(piece, message.length - done));
        }
        assertArrayEquals(expected, actual);
    }

    /** Crosses the 2^32-block boundary of the 64-bit counter (word 8 wraps into word 9). */
    @Example
    void xsalsa20CounterCarriesIntoHighWord() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        long start = (1L << 32) - 2;
        engine.seekTo(start * 64);
        byte[] expected = new byte[256];
        engine.processBytes(new byte[256], 0, 256, expected, 0);

        XSalsa20 stream = new XSalsa20(key, nonce);
        byte[] actual = new byte[256];
        stream.seekToBlock(start);
        stream.xor(new byte[256], 0, actual, 0, 256);
        assertArrayEquals(expected, actual);
    }

    @Property(tries = 300)
    void poly1305EqualsBouncyCastleInAnyPieces(@ForAll @Size(32) byte[] key,
            @ForAll @Size(max = 600) byte[] message, @ForAll @IntRange(min = 1, max = 70) int piece) {
        assertArrayEquals(bouncyCastleTag(key, message), ourTag(key, message, piece));
    }

    /**
     * All-0xff keys and messages drive the accumulator to its largest limbs and to
     * values at or above p = 2^130−5, where the final reduction has to choose h − p.
     */
    @Property(tries = 100)
    void poly1305EqualsBouncyCastleOnExtremeInputs(@ForAll @IntRange(min = 0, max = 300) int length,
            @ForAll @IntRange(min = 1, max = 64) int piece, @ForAll boolean ffKey, @ForAll boolean ffPad) {
        byte[] key = new byte[32];
        Arrays.fill(key, 0, 16, ffKey ? (byte) 0xff : (byte) 0x0f);
        Arrays.fill(key, 16, 32, ffPad ? (byte) 0xff : (byte) 0);
        byte[] message = new byte[length];
        Arrays.fill(message, (byte) 0xff);
        assertArrayEquals(bouncyCastleTag(key, message), ourTag(key, message, piece));
    }

    /**
     * The edge-case inputs of RFC 8439 appendix A.3 (#5 to #11: h reaching p, carries
     * through every limb), checked against BouncyCastle.
     */
    @Example
    void poly1305EqualsBouncyCastleOnRfc8439EdgeCases() {
        String[][] keyAndMessage = {
            {"02" + "00".repeat(31), "ff".repeat(16)},
            {"02" + "00".repeat(15) + "ff".repeat(16), "02" + "00".repeat(15)},
            {"01" + "00".repeat(31), "ff".repeat(16) + "f0" + "ff".repeat(15) + "11" + "00".repeat(15)},
            {"01" + "00".repeat(31), "ff".repeat(16) + "fb" + "fe".repeat(15) + "01".repeat(16)},
            {"02" + "00".repeat(31), "fd" + "ff".repeat(15)},
            {"01" + "00".repeat(7) + "04" + "00".repeat(23),
                "e33594d7505e43b9" + "00".repeat(8) + "33943f37ff23e14c" + "00".repeat(8)
                        + "7b4f3a2cd8010702" + "00".repeat(8) + "01" + "00".repeat(15)},
            {"01" + "00".repeat(7) + "04" + "00".repeat(23),
                "e33594d7505e43b9" + "00".repeat(8) + "33943f37ff23e14c" + "00".repeat(8)
                        + "01" + "00".repeat(15)},
        };
        for (String[] vector : keyAndMessage) {
            byte[] key = java.util.HexFormat.of().parseHex(vector[0]);
            byte[] message = java.util.HexFormat.of().parseHex(vector[1]);
            assertArrayEquals(bouncyCastleTag(key, message), ourTag(key, message, 16), vector[1]);
            assertArrayEquals(bouncyCastleTag(key, message), ourTag(key, message, 7), vector[1]);
        }
    }

    /** RFC 8439 §2.5.2 test vector. */
    @Example
    void poly1305Rfc8439Vector() {
        byte[] key = java.util.HexFormat.of().parseHex(
                "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] message = "Cryptographic Forum Research Group".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertArrayEquals(java.util.HexFormat.of().parseHex("a8061dc1305136c6c22b8baf0c0127a9"),
                ourTag(key, message, message.length));
    }

    private static byte[] ourTag(byte[] key, byte[] message, int piece) {
        Poly1305 mac = new Poly1305(key, 0);
        for (int done = 0; done < message.length; done += piece) {
            mac.update(message, done, Math.min(piece, message.length - done));
        }
        byte[] tag = new byte[16];
        mac.finish(tag, 0);
        return tag;
    }

    private static byte[] bouncyCastleTag(byte[] key, byte[] message) {
        org.bouncycastle.crypto.macs.Poly1305 mac = new org.bouncycastle.crypto.macs.Poly1305();
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        return tag;
    }
}
