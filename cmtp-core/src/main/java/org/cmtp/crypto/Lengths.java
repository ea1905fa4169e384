package org.cmtp.crypto;

import java.util.Objects;

/** Argument checks shared by the crypto classes: a wrong-sized key is a caller bug. */
final class Lengths {

    private Lengths() {
    }

    /**
     * @throws NullPointerException     if {@code bytes} is null
     * @throws IllegalArgumentException if it is not exactly {@code expected} bytes long,
     *                                  naming {@code what} and both lengths
     */
    static byte[] require(byte[] bytes, int expected, String what) {
        Objects.requireNonNull(bytes, what);
        if (bytes.length != expected) {
            throw new IllegalArgumentException(
                    what + " must be " + expected + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    /** Checks that {@code [offset, offset+length)} lies inside {@code bytes}. */
    static void requireRange(byte[] bytes, int offset, int length, String what) {
        Objects.requireNonNull(bytes, what);
        Objects.checkFromIndexSize(offset, length, bytes.length);
    }
}
