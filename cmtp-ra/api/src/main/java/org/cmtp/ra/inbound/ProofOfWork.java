package org.cmtp.ra.inbound;

import org.cmtp.crypto.Blake2b;

/**
 * PROTOCOL.md §6: with difficulty D, BLAKE2b-512(message ‖ proof-of-work field) must
 * start with D zero bits. Makes bulk sending cost the sender, not the receiver.
 */
final class ProofOfWork {

    private ProofOfWork() {
    }

    static boolean satisfies(byte[] message, byte[] field, int difficulty) {
        byte[] hash = Blake2b.hash512().update(message).update(field).finish();
        return leadingZeroBits(hash) >= difficulty;
    }

    static int leadingZeroBits(byte[] hash) {
        int bits = 0;
        for (byte b : hash) {
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return bits;
    }
}
