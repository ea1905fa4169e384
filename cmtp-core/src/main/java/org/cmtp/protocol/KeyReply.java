package org.cmtp.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A public key answering KEYREQUEST (PROTOCOL.md §4) or KEYBIND (§4a), 102 bytes on the wire:
 * {@code u32 version ‖ public key (32) ‖ \0 ‖ signature (64) ‖ \0}. Version 1 answers
 * KEYREQUEST: the server's signature covers the 32 key bytes only. Version 2 answers KEYBIND:
 * the signature covers the question too ({@link KeyBinding#bytesToSign}), so the reply is
 * bound to one address. Checking signatures is the crypto layer's job.
 *
 * @param version {@link #VERSION} or {@link #BOUND_VERSION}
 * @param publicKey the Ed25519 public key, 32 bytes
 * @param signature the server's Ed25519 signature, 64 bytes
 */
public record KeyReply(int version, byte[] publicKey, byte[] signature) implements Reply {

    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    /** The leading u32 that marks a key reply to KEYREQUEST. */
    public static final int VERSION = 1;
    /** The leading u32 that marks an address-bound key reply, to KEYBIND. */
    public static final int BOUND_VERSION = 2;
    /** Size on the wire. */
    public static final int WIRE_BYTES = 4 + PUBLIC_KEY_BYTES + 1 + SIGNATURE_BYTES + 1;

    public KeyReply {
        if (version != VERSION && version != BOUND_VERSION) {
            throw new IllegalArgumentException("a key reply is version 1 or 2, not " + version);
        }
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a key reply holds a 32-byte key and a 64-byte signature");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    /** A version-1 reply, to KEYREQUEST: the signature covers {@code publicKey} only. */
    public KeyReply(byte[] publicKey, byte[] signature) {
        this(VERSION, publicKey, signature);
    }

    /** A version-2 reply, to KEYBIND: the signature covers {@link KeyBinding#bytesToSign the question and the key}. */
    public static KeyReply bound(byte[] publicKey, byte[] signature) {
        return new KeyReply(BOUND_VERSION, publicKey, signature);
    }

    /** @return whether this is an address-bound (version-2) reply */
    public boolean isBound() {
        return version == BOUND_VERSION;
    }

    /** @return a copy of the public key (for version 1 also exactly the bytes the signature covers) */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyReply other && version == other.version && Arrays.equals(publicKey, other.publicKey)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * version + Arrays.hashCode(publicKey)) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "KeyReply[" + (isBound() ? "bound " : "") + HexFormat.of().formatHex(publicKey) + "]";
    }
}
