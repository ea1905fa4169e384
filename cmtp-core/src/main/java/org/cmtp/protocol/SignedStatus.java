package org.cmtp.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed status reply (PROTOCOL.md §3): {@code u32 0 ‖ WORD ‖ \0 ‖ signature (64) ‖ \0}.
 * The signature is the server's over {@code WORD ‖ \0 ‖ context}, where the context is the
 * 64-byte BLAKE2b-512 hash of the message for a reply to MAIL (so a signed SUCCESS is a
 * receipt) and empty otherwise. Hashing and signing are the crypto layer's job; this type
 * only says which bytes are signed ({@link #bytesToSign}).
 *
 * @param word the status
 * @param signature the server's Ed25519 signature, 64 bytes
 */
public record SignedStatus(StatusWord word, byte[] signature) implements Reply {

    public static final int SIGNATURE_BYTES = 64;
    /** The leading u32 that marks a status (crypto version 0). */
    public static final int VERSION = 0;

    public SignedStatus {
        Objects.requireNonNull(word, "word");
        if (signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a status signature is 64 bytes, not " + signature.length);
        }
        signature = signature.clone();
    }

    /**
     * @param context the message hash for a reply to MAIL, empty otherwise
     * @return {@code WORD ‖ \0 ‖ context}, the bytes the server signs
     */
    public static byte[] bytesToSign(StatusWord word, byte[] context) {
        byte[] wordBytes = word.wireBytes();
        return ByteBuffer.allocate(wordBytes.length + 1 + context.length)
                .put(wordBytes)
                .put((byte) 0)
                .put(context)
                .array();
    }

    /** @return {@code WORD ‖ \0}, the bytes signed for a reply to anything but MAIL */
    public static byte[] bytesToSign(StatusWord word) {
        return bytesToSign(word, new byte[0]);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedStatus other && word == other.word && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * word.hashCode() + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedStatus[" + word + "]";
    }
}
