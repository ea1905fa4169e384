package org.cmtp.crypto;

import java.util.Arrays;

/**
 * An XSalsa20 keystream (libsodium's {@code crypto_stream_xsalsa20}): Salsa20/20 keyed
 * with HSalsa20(key, nonce[0..16]) and nonced with nonce[16..24], counter from 0.
 *
 * <p>Keeps its position across calls, so a caller can take the first 32 keystream
 * bytes for Poly1305 and encrypt the message with what follows, in as many pieces as it
 * likes. Whole 64-byte blocks are XORed a word at a time straight from the rounds; only a block that a call
 * boundary splits is used byte by byte from the saved keystream words.
 */
final class XSalsa20 {

    private final int[] state;
    private final int[] keystream = new int[16];
    private int keystreamUsed = Salsa20.BLOCK_BYTES;

    XSalsa20(byte[] key, byte[] nonce) {
        byte[] subkey = HSalsa20.derive(key, nonce, 0);
        state = Salsa20.state(subkey, 0, nonce, 16);
        Arrays.fill(subkey, (byte) 0);
    }

    /** Writes {@code in ⊕ keystream} for {@code length} bytes, moving the position on. */
    void xor(byte[] in, int inOffset, byte[] out, int outOffset, int length) {
        int done = xorRestOfBlock(in, inOffset, out, outOffset, length);
        int blocks = (length - done) / Salsa20.BLOCK_BYTES;
        Salsa20.xorBlocks(state, in, inOffset + done, out, outOffset + done, blocks);
        done += blocks * Salsa20.BLOCK_BYTES;
        if (done < length) {
            nextKeystreamBlock();
            keystreamUsed = 0;
            xorRestOfBlock(in, inOffset + done, out, outOffset + done, length - done);
        }
    }

    private void nextKeystreamBlock() {
        Salsa20.core(state, true, keystream);
        Salsa20.nextBlock(state);
    }

    /** Uses up (part of) what is left of the current block; returns the bytes done. */
    private int xorRestOfBlock(byte[] in, int inOffset, byte[] out, int outOffset, int length) {
        int count = Math.min(length, Salsa20.BLOCK_BYTES - keystreamUsed);
        for (int i = 0; i < count; i++) {
            int position = keystreamUsed + i;
            int keystreamByte = keystream[position >>> 2] >>> ((position & 3) << 3);
            out[outOffset + i] = (byte) (in[inOffset + i] ^ keystreamByte);
        }
        keystreamUsed += count;
        return count;
    }

    /** Moves to the start of keystream block {@code block} (for tests of the 64-bit counter). */
    void seekToBlock(long block) {
        state[8] = (int) block;
        state[9] = (int) (block >>> 32);
        keystreamUsed = Salsa20.BLOCK_BYTES;
    }

    /** Forgets the key. */
    void wipe() {
        Arrays.fill(state, 0);
        Arrays.fill(keystream, 0);
    }
}
