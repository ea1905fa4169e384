package org.cmtp.ra.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.cmtp.crypto.Blake2b;
import org.junit.jupiter.api.Test;

class ProofOfWorkTest {

    @Test
    void leadingZeroBitsAreCountedAcrossBytes() {
        assertEquals(0, ProofOfWork.leadingZeroBits(new byte[] {(byte) 0x80}));
        assertEquals(7, ProofOfWork.leadingZeroBits(new byte[] {0x01}));
        assertEquals(12, ProofOfWork.leadingZeroBits(new byte[] {0, 0x08}));
        assertEquals(16, ProofOfWork.leadingZeroBits(new byte[] {0, 0}));
    }

    @Test
    void aFoundFieldSatisfiesItsDifficultyAndZerosUsuallyDoNot() {
        byte[] message = "a message".getBytes();
        byte[] field = new byte[64];
        long nonce = 0;
        while (ProofOfWork.leadingZeroBits(Blake2b.hash512().update(message).update(field).finish()) < 10) {
            ByteBuffer.wrap(field).putLong(++nonce);
        }
        assertTrue(ProofOfWork.satisfies(message, field, 10));
        assertTrue(ProofOfWork.satisfies(message, new byte[64], 0), "difficulty 0 accepts anything");
        int zerosGive = ProofOfWork.leadingZeroBits(Blake2b.hash512().update(message).update(new byte[64]).finish());
        assertTrue(ProofOfWork.satisfies(message, new byte[64], zerosGive));
        assertFalse(ProofOfWork.satisfies(message, new byte[64], zerosGive + 1), "one bit more is refused");
    }
}
