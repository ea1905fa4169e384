package org.cmtp.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules of a CMTP "string": UTF-8 bytes followed by {@code \0}, at most 255 bytes
 * before the {@code \0} (PROTOCOL.md, preamble), and strict UTF-8 for every text field.
 *
 * <p>Decoding is strict ({@link CodingErrorAction#REPORT}) in both directions, so a decoded
 * value re-encodes to exactly the bytes received: the wire form of a message is canonical,
 * which is what lets a server hash and store a message as sent while handling it as values.
 */
public final class WireString {

    /** The most bytes a string field may hold before its {@code \0}. */
    public static final int MAX_BYTES = 255;

    private WireString() {
    }

    /**
     * Encodes a value for a string field, without the terminating {@code \0}.
     *
     * @throws IllegalArgumentException if the value has a NUL, is over 255 bytes or has an
     *                                  unpaired surrogate: the caller built an invalid value
     */
    public static byte[] encode(String field, String value) {
        byte[] bytes = encodeUtf8(field, value);
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(field + " is " + bytes.length + " UTF-8 bytes; a string holds at most " + MAX_BYTES);
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException(field + " contains NUL, which would end the string early");
            }
        }
        return bytes;
    }

    /**
     * Encodes text as UTF-8, refusing what {@link String#getBytes} would silently replace
     * with {@code ?} (unpaired surrogates), so encode and decode stay inverses.
     *
     * @throws IllegalArgumentException if the value cannot be encoded
     */
    public static byte[] encodeUtf8(String field, String value) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " cannot be encoded as UTF-8 (unpaired surrogate)", e);
        }
    }

    /** Decodes strict UTF-8: any malformed or unmappable sequence is an error. */
    public static String decodeUtf8(byte[] bytes, int offset, int length, String field) throws InvalidUtf8Exception {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidUtf8Exception(field);
        }
    }

    /**
     * Reads one string from input that is already complete in memory (a plaintext body,
     * a stored message), leaving {@code in} just after its {@code \0}.
     */
    public static String read(ByteBuffer in, String field)
            throws TruncatedInputException, StringTooLongException, InvalidUtf8Exception {
        byte[] bytes = new byte[lengthBeforeNul(in, field)];
        in.get(bytes);
        in.get(); // the \0
        return decodeUtf8(bytes, 0, bytes.length, field);
    }

    /**
     * Skips one string of complete input, without decoding it, leaving {@code in} just
     * after its {@code \0}.
     */
    public static void skip(ByteBuffer in, String field) throws TruncatedInputException, StringTooLongException {
        in.position(in.position() + lengthBeforeNul(in, field) + 1);
    }

    private static int lengthBeforeNul(ByteBuffer in, String field)
            throws TruncatedInputException, StringTooLongException {
        int start = in.position();
        int end = Math.min(in.limit(), start + MAX_BYTES + 1);
        for (int i = start; i < end; i++) {
            if (in.get(i) == 0) {
                return i - start;
            }
        }
        if (end - start > MAX_BYTES) {
            throw new StringTooLongException(field, MAX_BYTES);
        }
        throw new TruncatedInputException(field);
    }

    /** @return bytes as text for an error message: printable ASCII as is, the rest as {@code \xNN} */
    public static String printable(byte[] bytes, int length) {
        StringBuilder printable = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                printable.append((char) b);
            } else {
                printable.append(String.format("\\x%02x", b));
            }
        }
        return printable.toString();
    }
}
