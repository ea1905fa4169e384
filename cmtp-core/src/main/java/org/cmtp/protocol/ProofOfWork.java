package org.cmtp.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.cmtp.crypto.Blake2b;

/**
 * The proof-of-work field a sender appends to MAIL (PROTOCOL.md §6): 64 bytes that make
 * BLAKE2b-512(message ‖ field) start with as many zero bits as the server's {@code POW}
 * difficulty. With difficulty 0 any field does and 64 zero bytes are sent.
 *
 * <p>Finding one takes about 2^difficulty hashes of the 64-byte field: the message itself
 * is hashed once and its state copied for every try, so a large message costs no more per
 * try than a small one.
 */
public final class ProofOfWork {

    /** The most leading zero bits a BLAKE2b-512 hash can have: the highest difficulty there is. */
    public static final int MAX_DIFFICULTY = 512;

    /** Size of the field. */
    public static final int BYTES = 64;

    private ProofOfWork() {
    }

    /** @return 64 zero bytes, the field for a server that asks for no work */
    public static byte[] none() {
        return new byte[BYTES];
    }

    /**
     * Finds a field for {@code rawMessage} at {@code difficulty}: the first one, counting up
     * from zero in the field's last eight bytes (big-endian). Deterministic.
     *
     * @throws IllegalArgumentException if the difficulty is negative or over 512
     * @throws IllegalStateException if the thread is interrupted while searching
     */
    public static byte[] find(byte[] rawMessage, int difficulty) {
        Objects.requireNonNull(rawMessage, "rawMessage");
        if (difficulty < 0 || difficulty > MAX_DIFFICULTY) {
            throw new IllegalArgumentException("proof-of-work difficulty must be 0..512, not " + difficulty);
        }
        byte[] field = none();
        if (difficulty == 0) {
            return field;
        }
        Blake2b prefix = Blake2b.hash512().update(rawMessage);
        ByteBuffer counter = ByteBuffer.wrap(field);
        for (long attempt = 0; ; attempt++) {
            counter.putLong(BYTES - 8, attempt);
            byte[] hash = prefix.copy().update(field).finish();
            if (leadingZeroBits(hash) >= difficulty) {
                return field;
            }
            if ((attempt & 0xFFFF) == 0xFFFF && Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while searching a proof of work of difficulty " + difficulty);
            }
        }
    }

    /** @return whether {@code field} is a proof of work of {@code difficulty} for {@code rawMessage} */
    public static boolean satisfies(byte[] rawMessage, byte[] field, int difficulty) {
        byte[] hash = Blake2b.hash512().update(rawMessage).update(field).finish();
        return leadingZeroBits(hash) >= difficulty;
    }

    /** @return the number of zero bits before the first one bit of {@code hash} */
    public static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b != 0) {
                return bits + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
            }
            bits += 8;
        }
        return bits;
    }
}
