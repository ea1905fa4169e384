package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;

import org.cmtp.wire.BadVersionException;
import org.cmtp.wire.InvalidUtf8Exception;
import org.cmtp.wire.LengthLimitExceededException;
import org.cmtp.wire.MalformedReplyException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.wire.StringTooLongException;
import org.cmtp.wire.TruncatedInputException;

/** A client must survive a hostile or broken server: every error typed, none recoverable. */
class HostileReplyTest {

    private final ReplyDecoder decoder = new ReplyDecoder();

    @Test
    void bytesNobodyAwaitsAreMalformed() {
        decoder.feed(WireVectors.bytes("reply_noop.bin"));

        assertFatal(MalformedReplyException.class);
    }

    @Test
    void unknownStatusWordIsMalformed() {
        decoder.expect(ReplyKind.STATUS);
        decoder.feed(status("MAYBE"));

        assertTrue(assertFatal(MalformedReplyException.class).getMessage().contains("MAYBE"));
    }

    @Test
    void statusWordsAreCaseSensitive() {
        decoder.expect(ReplyKind.STATUS);
        decoder.feed(status("success"));

        assertFatal(MalformedReplyException.class);
    }

    @Test
    void statusWithoutItsFinalNulIsMalformed() {
        byte[] bytes = status("SUCCESS");
        bytes[bytes.length - 1] = 1;
        decoder.expect(ReplyKind.STATUS);
        decoder.feed(bytes);

        assertFatal(MalformedReplyException.class);
    }

    @Test
    void statusWordOver255BytesIsTooLong() {
        decoder.expect(ReplyKind.STATUS);
        decoder.feed(status("S".repeat(300)));

        assertEquals("status word", assertFatal(StringTooLongException.class).field());
    }

    @Test
    void keyReplyWithoutItsSeparatorsIsMalformed() {
        byte[] bytes = WireVectors.bytes("reply_keyrequest_user.bin");
        bytes[36] = 'x';
        decoder.expect(ReplyKind.KEY_OR_STATUS);
        decoder.feed(bytes);

        assertFatal(MalformedReplyException.class);
    }

    @Test
    void keyReplyWithAnUnknownVersionIsABadVersion() {
        byte[] bytes = WireVectors.bytes("reply_keyrequest_user.bin");
        bytes[3] = 2;
        decoder.expect(ReplyKind.KEY_OR_STATUS);
        decoder.feed(bytes);

        assertEquals(2, assertFatal(BadVersionException.class).version());
    }

    @Test
    void referenceStyleMailReplyWithVersionOneIsABadVersion() {
        byte[] bytes = status("SUCCESS");
        bytes[3] = 1;
        decoder.expect(ReplyKind.STATUS);
        decoder.feed(bytes);

        assertEquals(1, assertFatal(BadVersionException.class).version());
    }

    @Test
    void xzibitCiphertextOverTheLimitFailsAtOnce() {
        byte[] header = ByteBuffer.allocate(44).putInt(1).put(new byte[32]).putLong(Long.MIN_VALUE).array();
        decoder.expect(ReplyKind.XZIBIT_OR_STATUS);
        decoder.feed(header);

        LengthLimitExceededException e = assertFatal(LengthLimitExceededException.class);
        assertEquals("xzibit ciphertext", e.field());
        assertEquals(Long.MIN_VALUE, e.declared());
    }

    @Test
    void textReplyOverTheLimitIsTooLong() {
        ReplyDecoder small = new ReplyDecoder(ProtocolLimits.DEFAULTS.withMaxTextReplyBytes(8));
        small.expect(ReplyKind.TEXT);
        small.feed("123456789".getBytes(StandardCharsets.US_ASCII));

        StringTooLongException e = assertThrows(StringTooLongException.class, small::next);
        assertEquals(8, e.limit());
        assertFalse(e.isRecoverable());
    }

    @Test
    void textReplyAtTheLimitIsAccepted() throws Exception {
        ReplyDecoder small = new ReplyDecoder(ProtocolLimits.DEFAULTS.withMaxTextReplyBytes(8));
        small.expect(ReplyKind.TEXT);
        small.feed("1234567\n\0".getBytes(StandardCharsets.US_ASCII));

        assertEquals(Optional.of(new TextReply("1234567\n")), small.next());
    }

    @Test
    void textReplyWithoutItsNewlineIsMalformed() {
        decoder.expect(ReplyKind.TEXT);
        decoder.feed("O_O\0".getBytes(StandardCharsets.US_ASCII));

        assertFatal(MalformedReplyException.class);
    }

    @Test
    void textReplyThatIsNotUtf8IsFatal() {
        decoder.expect(ReplyKind.TEXT);
        decoder.feed(new byte[] {'a', (byte) 0xC3, '\n', 0});

        assertEquals("text reply", assertFatal(InvalidUtf8Exception.class).field());
    }

    @Test
    void textReplyStartingWithNulMustBeAStatus() {
        decoder.expect(ReplyKind.TEXT);
        decoder.feed(new byte[] {0, 'H', 'I', '\n', 0, 0, 0, 0});

        assertFatal(MalformedReplyException.class);
    }

    @Test
    void endOfInputInsideAReplyIsTruncated() {
        byte[] bytes = WireVectors.bytes("reply_login.bin");
        decoder.expect(ReplyKind.XZIBIT_OR_STATUS);
        decoder.feed(Arrays.copyOf(bytes, 100));

        TruncatedInputException e = assertThrows(TruncatedInputException.class, decoder::finish);
        assertEquals("xzibit ciphertext", e.field());
    }

    @Test
    void endOfInputWithARepliesStillAwaitedIsTruncated() throws Exception {
        decoder.expect(ReplyKind.TEXT);
        decoder.expect(ReplyKind.TEXT);
        decoder.feed(WireVectors.bytes("reply_banner.bin"));

        assertTrue(decoder.next().isPresent());
        assertEquals(1, decoder.awaitedReplies());
        assertThrows(TruncatedInputException.class, decoder::finish);
    }

    @Test
    void errorStopsTheDecoder() throws Exception {
        decoder.expect(ReplyKind.STATUS);
        decoder.expect(ReplyKind.TEXT);
        decoder.feed(status("NOPE"));
        decoder.feed(WireVectors.bytes("reply_noop.bin"));

        assertThrows(MalformedReplyException.class, decoder::next);
        assertTrue(decoder.isBroken());
        assertEquals(Optional.empty(), decoder.next());
    }

    private <E extends ProtocolException> E assertFatal(Class<E> type) {
        E e = assertThrows(type, decoder::next);
        assertFalse(e.isRecoverable());
        assertTrue(decoder.isBroken());
        return e;
    }

    private static byte[] status(String word) {
        byte[] wordBytes = word.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + wordBytes.length + 1 + 65).putInt(0).put(wordBytes).array();
    }
}
