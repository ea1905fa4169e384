package org.cmtp.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A public key answering KEYREQUEST (PROTOCOL.md §4), 102 bytes on the wire:
 * {@code u32 1 ‖ public key (32) ‖ \0 ‖ signature (64) ‖ \0}. The signature is the server's,
 * over the 32 key bytes; checking it is the crypto layer's job.
 *
 * @param publicKey the Ed25519 public key, 32 bytes
 * @param signature the server's Ed25519 signature over {@code publicKey}, 64 bytes
 */
public record KeyReply(byte[] publicKey, byte[] signature) implements Reply {

    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    /** The leading u32 that marks a key reply. */
    public static final int VERSION = 1;
    /** Size on the wire. */
    public static final int WIRE_BYTES = 4 + PUBLIC_KEY_BYTES + 1 + SIGNATURE_BYTES + 1;

    public KeyReply {
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a key reply holds a 32-byte key and a 64-byte signature");
        }
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    /** @return a copy of the public key, which is also exactly the bytes the signature covers */
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
        return o instanceof KeyReply other && Arrays.equals(publicKey, other.publicKey)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(publicKey) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "KeyReply[" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
