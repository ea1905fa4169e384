package org.cmtp.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A public key answering KEYBIND (PROTOCOL.md §4a), 102 bytes on the wire:
 * {@code u32 2 ‖ public key (32) ‖ \0 ‖ signature (64) ‖ \0}. The signature is the server's
 * over {@link KeyBinding#bytesToSign}: the question (user and domain) and the key, so the
 * reply answers that question only.
 *
 * @param publicKey the Ed25519 public key, 32 bytes
 * @param signature the server's Ed25519 signature over the bound statement, 64 bytes
 */
public record BoundKeyReply(byte[] publicKey, byte[] signature) implements Reply {

    /** The leading u32 that marks an address-bound key reply. */
    public static final int VERSION = 2;
    /** Size on the wire: the layout of {@link KeyReply}. */
    public static final int WIRE_BYTES = KeyReply.WIRE_BYTES;

    public BoundKeyReply {
        if (publicKey.length != KeyReply.PUBLIC_KEY_BYTES || signature.length != KeyReply.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a key reply holds a 32-byte key and a 64-byte signature");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

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
        return o instanceof BoundKeyReply other && Arrays.equals(publicKey, other.publicKey)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(publicKey) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "BoundKeyReply[" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
