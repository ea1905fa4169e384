package org.cmtp.it.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cmtp.sodium.Libsodium;

/** Reads signed replies off the wire and checks them with libsodium, not with the server's own code. */
public final class Replies {

    private Replies() {
    }

    /**
     * Reads a signed status ({@code u32 0 ‖ WORD ‖ \0 ‖ signature ‖ \0}) and asserts its
     * word and that the server key signed {@code WORD ‖ \0 ‖ context}.
     */
    public static byte[] expectStatus(RawCmtpConnection connection, String word, byte[] context, byte[] serverKey)
            throws IOException {
        byte[] wordBytes = (word + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] reply = connection.read(4 + wordBytes.length + 64 + 1);
        assertEquals(0, ByteBuffer.wrap(reply).getInt(), "crypto version 0 of a status reply");
        assertEquals(word + "\0", new String(reply, 4, wordBytes.length, StandardCharsets.US_ASCII), "status word");
        assertEquals(0, reply[reply.length - 1], "NUL after the signature");
        byte[] signature = Arrays.copyOfRange(reply, 4 + wordBytes.length, reply.length - 1);
        assertTrue(Libsodium.verifyDetached(signature, MailBytes.concat(wordBytes, context), serverKey),
                "libsodium verifies the " + word + " signature with the server key");
        return reply;
    }

    /** Reads a 102-byte key reply, checks its framing and its signature by the server key; returns the key. */
    public static byte[] expectKey(RawCmtpConnection connection, byte[] serverKey) throws IOException {
        byte[] reply = connection.read(102);
        assertEquals(1, ByteBuffer.wrap(reply).getInt(), "crypto version 1 of a key reply");
        assertEquals(0, reply[36], "NUL after the key");
        assertEquals(0, reply[101], "NUL after the signature");
        byte[] key = Arrays.copyOfRange(reply, 4, 36);
        byte[] signature = Arrays.copyOfRange(reply, 37, 101);
        byte[] signer = serverKey == null ? key : serverKey;
        assertTrue(Libsodium.verifyDetached(signature, key, signer), "libsodium verifies the key signature");
        return key;
    }

    public static void assertBytes(byte[] expected, byte[] actual, String what) {
        assertArrayEquals(expected, actual, what);
    }
}
