package org.cmtp.protocol;

import static org.cmtp.protocol.CommandCodecTest.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import org.cmtp.message.HandMadeMessage;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.cmtp.wire.BadVersionException;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.InvalidUtf8Exception;
import org.cmtp.wire.LengthLimitExceededException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.StringTooLongException;
import org.cmtp.wire.TruncatedInputException;
import org.cmtp.wire.UnknownCommandException;

/** Each typed error, triggered by the input that causes it, and what the stream does next. */
class HostileCommandTest {

    private final CommandDecoder decoder = new CommandDecoder();

    @Test
    void unknownCommandIsRecoverable() throws Exception {
        decoder.feed(ascii("HELO\0NOOP\0"));

        UnknownCommandException e = assertThrows(UnknownCommandException.class, decoder::next);
        assertEquals("HELO", e.word());
        assertFalse(e.isOverLong());
        assertTrue(e.isRecoverable());
        assertEquals(Optional.of(new Command.Noop()), decoder.next());
    }

    @Test
    void elevenByteWordIsOverLongAndSkippedToItsNul() throws Exception {
        decoder.feed(ascii("KEYREQUESTS\0bob\0hawaii.edu\0NOOP\0"));

        UnknownCommandException e = assertThrows(UnknownCommandException.class, decoder::next);
        assertTrue(e.isOverLong());
        assertEquals("KEYREQUEST", e.word());
        assertInstanceOf(UnknownCommandException.class, assertThrows(ProtocolException.class, decoder::next));
        assertInstanceOf(UnknownCommandException.class, assertThrows(ProtocolException.class, decoder::next));
        assertEquals(Optional.of(new Command.Noop()), decoder.next());
    }

    @Test
    void tenByteWordIsNotOverLong() {
        decoder.feed(ascii("ABCDEFGHIJ\0"));

        assertFalse(assertThrows(UnknownCommandException.class, decoder::next).isOverLong());
    }

    @Test
    void overLongWordIsSkippedWithoutWaitingForMoreThanItsNul() throws Exception {
        decoder.feed(ascii("X".repeat(1_000_000)));
        assertEquals(Optional.empty(), decoder.next());
        assertFalse(decoder.isIdle());

        decoder.feed(ascii("\0OBAI\0"));

        assertThrows(UnknownCommandException.class, decoder::next);
        assertEquals(Optional.of(new Command.Obai()), decoder.next());
    }

    @Test
    void unprintableWordIsEscapedInTheError() {
        decoder.feed(new byte[] {'A', 1, (byte) 0xFF, 0});

        assertEquals("A\\x01\\xff", assertThrows(UnknownCommandException.class, decoder::next).word());
    }

    @Test
    void consecutiveErrorsAreCountedUntilACommandSucceeds() throws Exception {
        decoder.feed(ascii("A\0B\0C\0NOOP\0D\0"));

        for (int i = 1; i <= 3; i++) {
            assertThrows(UnknownCommandException.class, decoder::next);
            assertEquals(i, decoder.consecutiveErrors());
        }
        decoder.next();
        assertEquals(0, decoder.consecutiveErrors());
        assertThrows(UnknownCommandException.class, decoder::next);
        assertEquals(1, decoder.consecutiveErrors());
    }

    @Test
    void stringOf256BytesIsFatal() throws Exception {
        decoder.feed(ascii("LOGIN\0" + "u".repeat(256)));

        StringTooLongException e = assertThrows(StringTooLongException.class, decoder::next);
        assertEquals("LOGIN user", e.field());
        assertFalse(e.isRecoverable());
        assertTrue(decoder.isBroken());
        decoder.feed(ascii("\0NOOP\0"));
        assertEquals(Optional.empty(), decoder.next());
    }

    @Test
    void keyRequestUserThatIsNotUtf8StillConsumesTheDomain() throws Exception {
        decoder.feed(new byte[] {'K', 'E', 'Y', 'R', 'E', 'Q', 'U', 'E', 'S', 'T', 0, (byte) 0xC3, 0, 'x', 0});
        decoder.feed(ascii("NOOP\0"));

        InvalidUtf8Exception e = assertThrows(InvalidUtf8Exception.class, decoder::next);
        assertEquals("KEYREQUEST user", e.field());
        assertTrue(e.isRecoverable());
        assertEquals(Optional.of(new Command.Noop()), decoder.next());
    }

    @Test
    void keyRequestDomainThatIsNotUtf8IsNamed() {
        decoder.feed(ascii("KEYREQUEST\0bob\0\u00ff\0"));

        assertEquals("KEYREQUEST domain", assertThrows(InvalidUtf8Exception.class, decoder::next).field());
    }

    @Test
    void loginUserThatIsNotUtf8IsNamed() {
        decoder.feed(ascii("LOGIN\0\u00e9\0"));

        assertEquals("LOGIN user", assertThrows(InvalidUtf8Exception.class, decoder::next).field());
    }

    @Test
    void invalidAddressesAreRecoverable() throws Exception {
        decoder.feed(ascii("KEYREQUEST\0bob\0..\0LOGIN\0\0KEYREQUEST\0a\\b\0\0OHAI\0"));

        InvalidAddressException domain = assertThrows(InvalidAddressException.class, decoder::next);
        assertEquals("KEYREQUEST domain", domain.field());
        assertEquals(InvalidAddressException.Problem.DOT_DOT, domain.problem());
        assertEquals(InvalidAddressException.Problem.EMPTY, assertThrows(InvalidAddressException.class, decoder::next).problem());
        assertEquals(InvalidAddressException.Problem.BACKSLASH, assertThrows(InvalidAddressException.class, decoder::next).problem());
        assertEquals(Optional.of(new Command.Ohai()), decoder.next());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void mailStringThatIsNotUtf8IsRecoverable(int index) throws Exception {
        byte[] message = HandMadeMessage.valid().addressPart(index, new byte[] {(byte) 0x80}).bytes();

        assertRecoverableMailError(InvalidUtf8Exception.class, message);
    }

    @Test
    void mailLogThatIsNotUtf8IsRecoverable() throws Exception {
        assertRecoverableMailError(InvalidUtf8Exception.class,
                HandMadeMessage.valid().log(new byte[] {'o', 'k', (byte) 0xF8, '\n'}).attachment(new byte[10]).bytes());
    }

    @ParameterizedTest
    @ValueSource(longs = {2, 0xFFFF_FFFFL})
    void mailWithBadVersionIsRecoverable(long version) throws Exception {
        BadVersionException e = assertRecoverableMailError(BadVersionException.class,
                HandMadeMessage.valid().version(version).attachment(new byte[5]).attachment(new byte[0]).bytes());
        assertEquals(version, e.version());
    }

    @Test
    void mailWithInvalidAddressIsRecoverable() throws Exception {
        assertRecoverableMailError(InvalidAddressException.class,
                HandMadeMessage.valid().addressPart(2, ascii("al/ice")).bytes());
    }

    @Test
    void mailLogOverTheLimitIsFatal() {
        assertFatalLength("MAIL log", HandMadeMessage.valid().declaredLogLength(64 * 1024 + 1).header(), "log");
    }

    @Test
    void mailBodyOverTheLimitIsFatal() {
        assertFatalLength("MAIL body", HandMadeMessage.valid().declaredBodyLength(25 * 1024 * 1024 + 1).header(), "body");
    }

    @Test
    void mailAttachmentCountOverTheLimitIsFatal() {
        assertFatalLength("MAIL count", HandMadeMessage.valid().declaredAttachmentCount(1001).header(), "attachment count");
    }

    @Test
    void mailAttachmentOverTheLimitIsFatal() {
        byte[] message = HandMadeMessage.valid().attachment(new byte[1]).declaredAttachmentLength(0, 25 * 1024 * 1024 + 1).bytes();
        byte[] untilTheLength = Arrays.copyOf(message, message.length - 1);

        assertFatalLength("MAIL attachment", untilTheLength, "attachment 1");
    }

    @Test
    void mailWhoseFieldsAddUpOverTheLimitIsFatal() {
        byte[] header = HandMadeMessage.valid().declaredBodyLength(25 * 1024 * 1024 - 24).declaredLogLength(1).header();

        assertFatalLength("MAIL total", header, "message");
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1L})
    void hugeBodyLengthFailsAtOnceAfterTheHeader(long declared) throws Exception {
        byte[] headerAndAddresses = HandMadeMessage.valid().declaredBodyLength(declared).headerAndAddresses();
        decoder.feed(ascii("MAIL\0"));
        decoder.feed(headerAndAddresses);

        LengthLimitExceededException e = assertThrows(LengthLimitExceededException.class, decoder::next);
        assertEquals("body", e.field());
        assertEquals(declared, e.declared());
        assertFalse(e.isRecoverable());
        assertTrue(decoder.isBroken());
        assertEquals(Optional.empty(), decoder.next());
    }

    @Test
    void hugeBodyLengthFailsWithTheLastHeaderByte() {
        byte[] header = HandMadeMessage.valid().declaredBodyLength(Long.MIN_VALUE).header();
        decoder.feed(ascii("MAIL\0"));
        decoder.feed(header, 0, 23);
        assertTrue(decoder.inMail());

        decoder.feed(header, 23, 1);

        assertThrows(LengthLimitExceededException.class, decoder::next);
    }

    @Test
    void truncatedMailIsReportedAtEndOfInput() throws Exception {
        byte[] wire = WireVectors.bytes("mail_wire.bin");
        decoder.feed(Arrays.copyOf(wire, 100));
        assertEquals(Optional.empty(), decoder.next());

        TruncatedInputException e = assertThrows(TruncatedInputException.class, decoder::finish);
        assertEquals("MAIL body", e.field());
        assertFalse(e.isRecoverable());
    }

    @Test
    void truncatedProofOfWorkIsReportedAtEndOfInput() {
        byte[] wire = WireVectors.bytes("mail_wire.bin");
        decoder.feed(Arrays.copyOf(wire, wire.length - 1));

        assertEquals("MAIL proof of work", assertThrows(TruncatedInputException.class, decoder::finish).field());
    }

    @Test
    void endOfInputBetweenCommandsIsFine() throws Exception {
        decoder.feed(ascii("NOOP\0\0"));

        decoder.finish();
        assertEquals(Optional.of(new Command.Noop()), decoder.next());
    }

    @Test
    void endOfInputInsideACommandWordIsTruncated() {
        decoder.feed(ascii("NOO"));

        assertEquals("command word", assertThrows(TruncatedInputException.class, decoder::finish).field());
    }

    private <E extends ProtocolException> E assertRecoverableMailError(Class<E> type, byte[] message) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(ascii("MAIL\0"));
        stream.writeBytes(message);
        stream.writeBytes(new byte[64]);
        stream.writeBytes(ascii("NOOP\0"));
        decoder.feed(stream.toByteArray());

        E e = assertThrows(type, decoder::next);
        assertTrue(e.isRecoverable());
        assertEquals(Optional.of(new Command.Noop()), decoder.next());
        assertTrue(decoder.isIdle());
        return e;
    }

    private void assertFatalLength(String what, byte[] messageStart, String field) {
        decoder.feed(ascii("MAIL\0"));
        decoder.feed(messageStart);

        LengthLimitExceededException e = assertThrows(LengthLimitExceededException.class, decoder::next, what);
        assertEquals(field, e.field());
        assertFalse(e.isRecoverable());
        assertTrue(decoder.isBroken());
    }
}
