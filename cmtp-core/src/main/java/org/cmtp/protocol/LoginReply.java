package org.cmtp.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A user's xzibit answering LOGIN, followed by the server's signature over it
 * (PROTOCOL.md §5). The xzibit is {@code u32 version ‖ salt (32) ‖ u64 L ‖ L bytes of
 * ciphertext}, 156 bytes for version 1; it is kept whole and opaque here (the crypto layer
 * opens it with the password), and only its framing is checked.
 *
 * @param xzibit the whole xzibit, version field through ciphertext
 * @param signature the server's Ed25519 signature over {@code xzibit}, 64 bytes
 */
public record LoginReply(byte[] xzibit, byte[] signature) implements Reply {

    public static final int SALT_BYTES = 32;
    /** version, salt and ciphertext length. */
    public static final int XZIBIT_HEADER_BYTES = 4 + SALT_BYTES + 8;
    public static final int SIGNATURE_BYTES = 64;

    /**
     * @throws IllegalArgumentException if the xzibit's version is 0 (a client would read the
     *                                  reply as a status) or its length field disagrees with
     *                                  its size
     */
    public LoginReply {
        if (xzibit.length < XZIBIT_HEADER_BYTES) {
            throw new IllegalArgumentException("an xzibit has at least a " + XZIBIT_HEADER_BYTES + "-byte header");
        }
        ByteBuffer fields = ByteBuffer.wrap(xzibit);
        if (fields.getInt(0) == SignedStatus.VERSION) {
            throw new IllegalArgumentException("xzibit version 0 would read as a status reply");
        }
        if (fields.getLong(4 + SALT_BYTES) != xzibit.length - XZIBIT_HEADER_BYTES) {
            throw new IllegalArgumentException("the xzibit's ciphertext length does not match its size");
        }
        if (signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a signature is 64 bytes, not " + signature.length);
        }
        xzibit = xzibit.clone();
        signature = signature.clone();
    }

    /** @return the xzibit's version field, unsigned */
    public long xzibitVersion() {
        return ByteBuffer.wrap(xzibit).getInt(0) & 0xFFFF_FFFFL;
    }

    /** @return a copy of the whole xzibit, which is also exactly the bytes the signature covers */
    @Override
    public byte[] xzibit() {
        return xzibit.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoginReply other && Arrays.equals(xzibit, other.xzibit)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(xzibit) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "LoginReply[xzibit version " + xzibitVersion() + ", " + xzibit.length + " bytes]";
    }
}
