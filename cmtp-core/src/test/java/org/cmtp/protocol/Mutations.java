package org.cmtp.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Damages valid wire bytes the way a buggy or hostile peer might: flipped and replaced
 * bytes, insertions, deletions, truncation, duplicated runs, and length or version fields
 * overwritten with extreme values. Positions favour the first bytes, where the command
 * word, header and lengths live.
 */
public final class Mutations {

    private static final int[] EXTREME_U32 = {0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF};
    private static final long[] EXTREME_U64 = {
        0, 1, 255, 256, 25L * 1024 * 1024, 25L * 1024 * 1024 + 1, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -1,
    };

    private Mutations() {
    }

    /** @return a copy of {@code original} with one to four mutations */
    public static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            bytes = mutateOnce(bytes, random);
        }
        return bytes;
    }

    private static byte[] mutateOnce(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = position(bytes.length, random);
        switch (random.nextInt(8)) {
            case 0:
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                return bytes;
            case 1:
                bytes[at] = (byte) random.nextInt(256);
                return bytes;
            case 2:
                return splice(bytes, at, 0, new byte[] {(byte) random.nextInt(256)});
            case 3:
                return splice(bytes, at, 1, new byte[0]);
            case 4:
                return Arrays.copyOf(bytes, at);
            case 5:
                return splice(bytes, at, 0, Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(16))));
            case 6:
                return overwrite(bytes, at, ByteBuffer.allocate(4).putInt(EXTREME_U32[random.nextInt(EXTREME_U32.length)]).array());
            default:
                return overwrite(bytes, at, ByteBuffer.allocate(8).putLong(EXTREME_U64[random.nextInt(EXTREME_U64.length)]).array());
        }
    }

    private static int position(int length, Random random) {
        return random.nextBoolean() ? random.nextInt(Math.min(length, 40)) : random.nextInt(length);
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(insert);
        out.write(bytes, at + remove, bytes.length - at - remove);
        return out.toByteArray();
    }

    private static byte[] overwrite(byte[] bytes, int at, byte[] value) {
        byte[] out = bytes.length >= at + value.length ? bytes : Arrays.copyOf(bytes, at + value.length);
        System.arraycopy(value, 0, out, at, value.length);
        return out;
    }

    /** @return piece sizes that cover {@code length} bytes, mostly small, sometimes large */
    public static int[] randomPieces(int length, Random random) {
        int largest = random.nextBoolean() ? 4 : 64;
        int[] pieces = new int[length + 1];
        int covered = 0;
        int count = 0;
        while (covered < length) {
            pieces[count] = 1 + random.nextInt(largest);
            covered += pieces[count++];
        }
        return Arrays.copyOf(pieces, Math.max(count, 1));
    }
}
