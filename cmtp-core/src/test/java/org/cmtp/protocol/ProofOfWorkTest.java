package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.cmtp.crypto.Blake2b;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProofOfWorkTest {

    private static byte[] message(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void difficultyZeroIsSixtyFourZeroBytes() {
        assertArrayEquals(new byte[64], ProofOfWork.find(message(100), 0));
        assertTrue(ProofOfWork.satisfies(message(100), new byte[64], 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8, 12, 16})
    void foundFieldMakesTheHashStartWithThatManyZeroBits(int difficulty) {
        byte[] message = message(1000 + difficulty);
        byte[] field = ProofOfWork.find(message, difficulty);
        assertEquals(64, field.length);
        byte[] hash = Blake2b.hash512().update(message).update(field).finish();
        assertTrue(ProofOfWork.leadingZeroBits(hash) >= difficulty);
        assertTrue(ProofOfWork.satisfies(message, field, difficulty));
    }

    @Test
    void aFieldForOneMessageDoesNotCarryOverToAnother() {
        byte[] field = ProofOfWork.find(message(500), 16);
        // 1 in 65536 chance of a false failure; the seeds are fixed, so it is deterministic.
        assertFalse(ProofOfWork.satisfies(message(501), field, 16));
    }

    @Test
    void largeMessagesCostNoMorePerTry() {
        byte[] large = message(8 * 1024 * 1024);
        long start = System.nanoTime();
        byte[] field = ProofOfWork.find(large, 12);
        assertTrue(ProofOfWork.satisfies(large, field, 12));
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "hashes the message once, not once per try");
    }

    @Test
    void countsLeadingZeroBits() {
        assertEquals(0, ProofOfWork.leadingZeroBits(new byte[] {(byte) 0x80}));
        assertEquals(7, ProofOfWork.leadingZeroBits(new byte[] {1, 0}));
        assertEquals(8, ProofOfWork.leadingZeroBits(new byte[] {0, (byte) 0xFF}));
        assertEquals(11, ProofOfWork.leadingZeroBits(new byte[] {0, 0x10}));
        assertEquals(512, ProofOfWork.leadingZeroBits(new byte[64]));
    }

    @Test
    void refusesImpossibleDifficulties() {
        assertThrows(IllegalArgumentException.class, () -> ProofOfWork.find(message(1), -1));
        assertThrows(IllegalArgumentException.class, () -> ProofOfWork.find(message(1), 513));
    }
}
