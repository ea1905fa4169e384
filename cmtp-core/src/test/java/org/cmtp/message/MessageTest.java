package org.cmtp.message;

import static org.cmtp.message.HandMadeMessage.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.cmtp.wire.BadVersionException;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.InvalidUtf8Exception;
import org.cmtp.wire.LengthLimitExceededException;
import org.cmtp.wire.MalformedMessageException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.wire.StringTooLongException;
import org.cmtp.wire.TruncatedInputException;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTest {

    private static final MailAddress BOB = new MailAddress("bob", "hawaii.edu");
    private static final MailAddress ALICE = new MailAddress("alice", "hawaii.edu");

    @Test
    void storedVectorDecodesToTheVectorMessage() throws Exception {
        Message message = Message.decode(WireVectors.bytes("mail_stored.bin"));

        assertEquals(Message.SEALED, message.version());
        assertEquals(0, message.attachmentCount());
        assertEquals(BOB, message.destination());
        assertEquals(ALICE, message.source());
        assertEquals(WireVectors.text("mail_log.txt"), message.log());
        assertArrayEquals(WireVectors.bytes("sealed.bin"), message.body());
        assertEquals(76, message.bodyLength());
        assertEquals(170, message.encodedLength());
    }

    @Test
    void storedVectorReencodesByteForByte() throws Exception {
        byte[] stored = WireVectors.bytes("mail_stored.bin");

        assertArrayEquals(stored, Message.decode(stored).encode());
    }

    @Test
    void messageBuiltFromVectorPartsIsTheStoredVector() {
        Message built = new Message(Message.SEALED, BOB, ALICE, WireVectors.text("mail_log.txt"),
                WireVectors.bytes("sealed.bin"), List.of());

        assertArrayEquals(WireVectors.bytes("mail_stored.bin"), built.encode());
    }

    @Test
    void messageWithLogBodyAndAttachmentsRoundTrips() throws Exception {
        List<byte[]> attachments = List.of(utf8("first"), new byte[0], new byte[300], new Attachment("a.txt", utf8("hi")).encode());
        Message message = new Message(Message.PLAINTEXT, BOB, ALICE, "one\ntwo ü\n", new byte[] {0, 1, 2}, attachments);

        Message decoded = Message.decode(message.encode());

        assertEquals(message, decoded);
        assertEquals(message.hashCode(), decoded.hashCode());
        assertEquals("one\ntwo ü\n", decoded.log());
        assertEquals(4, decoded.attachmentCount());
        for (int i = 0; i < attachments.size(); i++) {
            assertArrayEquals(attachments.get(i), decoded.attachment(i));
        }
        assertArrayEquals(new byte[] {0, 1, 2}, decoded.body());
    }

    @Test
    void serverAccountsMayBeEmpty() throws Exception {
        Message toServer = new Message(Message.PLAINTEXT, MailAddress.server("hawaii.edu"),
                MailAddress.server("example.org"), "", new byte[0], List.of());

        Message decoded = Message.decode(toServer.encode());

        assertTrue(decoded.destination().isServer());
        assertTrue(decoded.source().isServer());
    }

    @Test
    void accessorsReturnCopies() {
        Message message = new Message(Message.SEALED, BOB, ALICE, "", new byte[] {7}, List.of(new byte[] {8}));

        message.body()[0] = 0;
        message.attachment(0)[0] = 0;
        message.encode()[0] = 9;

        assertArrayEquals(new byte[] {7}, message.body());
        assertArrayEquals(new byte[] {8}, message.attachment(0));
        assertEquals(Message.SEALED, message.version());
    }

    @Test
    void messagesDifferingInOneFieldAreNotEqual() {
        Message message = new Message(Message.SEALED, BOB, ALICE, "", new byte[] {1}, List.of());

        assertNotEquals(message, new Message(Message.SEALED, BOB, ALICE, "", new byte[] {2}, List.of()));
        assertNotEquals(message, new Message(Message.SEALED, ALICE, BOB, "", new byte[] {1}, List.of()));
        assertNotEquals(message, new Message(Message.PLAINTEXT, BOB, ALICE, "", new byte[] {1}, List.of()));
    }

    @Test
    void constructorRefusesWhatCouldNotBeDecoded() {
        assertThrows(IllegalArgumentException.class, () -> new Message(2, BOB, ALICE, "", new byte[0], List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Message(1, new MailAddress("a/b", "x"), ALICE, "", new byte[0], List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Message(1, BOB, new MailAddress("alice", ""), "", new byte[0], List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Message(1, BOB, new MailAddress("alice", "x".repeat(256)), "", new byte[0], List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Message(1, BOB, ALICE, "\uD800", new byte[0], List.of()));
    }

    @Test
    void bytesAfterTheLastAttachmentAreRefused() {
        byte[] stored = WireVectors.bytes("mail_stored.bin");

        assertThrows(MalformedMessageException.class, () -> Message.decode(Arrays.copyOf(stored, stored.length + 1)));
    }

    @Test
    void everyProperPrefixIsTruncated() {
        byte[] stored = HandMadeMessage.valid().log(utf8("x\n")).attachment(utf8("att")).bytes();

        for (int length = 0; length < stored.length; length++) {
            byte[] prefix = Arrays.copyOf(stored, length);
            assertThrows(TruncatedInputException.class, () -> Message.decode(prefix), "prefix of " + length);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {2, 0xFFFF_FFFFL})
    void unknownVersionIsRecoverable(long version) {
        byte[] bytes = HandMadeMessage.valid().version(version).bytes();

        BadVersionException e = assertThrows(BadVersionException.class, () -> Message.decode(bytes));
        assertEquals(version, e.version());
        assertTrue(e.isRecoverable());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void addressStringThatIsNotUtf8IsNamed(int index) {
        byte[] bytes = HandMadeMessage.valid().addressPart(index, new byte[] {'a', (byte) 0xC3}).bytes();

        InvalidUtf8Exception e = assertThrows(InvalidUtf8Exception.class, () -> Message.decode(bytes));
        assertEquals(MessageReader.ADDRESS_FIELDS[index], e.field());
        assertTrue(e.isRecoverable());
    }

    @Test
    void overlongUtf8IsNotUtf8() {
        byte[] bytes = HandMadeMessage.valid().addressPart(1, new byte[] {(byte) 0xC0, (byte) 0xAF}).bytes();

        assertThrows(InvalidUtf8Exception.class, () -> Message.decode(bytes));
    }

    @Test
    void logThatIsNotUtf8IsNamed() {
        byte[] bytes = HandMadeMessage.valid().log(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}).bytes();

        assertEquals("log", assertThrows(InvalidUtf8Exception.class, () -> Message.decode(bytes)).field());
    }

    @Test
    void stringOf256BytesIsTooLong() {
        byte[] bytes = HandMadeMessage.valid().addressPart(1, utf8("d".repeat(256))).bytes();

        StringTooLongException e = assertThrows(StringTooLongException.class, () -> Message.decode(bytes));
        assertEquals("destination domain", e.field());
        assertFalse(e.isRecoverable());
    }

    @Test
    void stringOf255BytesIsAllowed() throws Exception {
        byte[] bytes = HandMadeMessage.valid().addressPart(1, utf8("d".repeat(255))).bytes();

        assertEquals("d".repeat(255), Message.decode(bytes).destination().domain());
    }

    @Test
    void addressBreakingTheRulesIsRecoverable() {
        byte[] bytes = HandMadeMessage.valid().addressPart(0, utf8("bob..etc")).bytes();

        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> Message.decode(bytes));
        assertEquals("destination account", e.field());
        assertEquals(InvalidAddressException.Problem.DOT_DOT, e.problem());
        assertTrue(e.isRecoverable());
    }

    @Test
    void emptyDomainIsInvalid() {
        byte[] bytes = HandMadeMessage.valid().addressPart(3, new byte[0]).bytes();

        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> Message.decode(bytes));
        assertEquals("source domain", e.field());
        assertEquals(InvalidAddressException.Problem.EMPTY, e.problem());
    }

    @Test
    void logOverTheLimitIsRefused() {
        ProtocolLimits limits = ProtocolLimits.DEFAULTS.withMaxLogBytes(4);
        byte[] bytes = HandMadeMessage.valid().log(utf8("12345")).bytes();

        LengthLimitExceededException e = assertThrows(LengthLimitExceededException.class, () -> Message.decode(bytes, limits));
        assertEquals("log", e.field());
        assertEquals(5, e.declared());
        assertEquals(4, e.limit());
    }

    @Test
    void bodyOverTheLimitIsRefused() {
        ProtocolLimits limits = ProtocolLimits.DEFAULTS.withMaxMessageBytes(100);
        byte[] bytes = HandMadeMessage.valid().body(new byte[101]).bytes();

        assertEquals("body", assertThrows(LengthLimitExceededException.class, () -> Message.decode(bytes, limits)).field());
    }

    @Test
    void wholeMessageOverTheLimitIsRefused() {
        byte[] bytes = HandMadeMessage.valid().body(new byte[60]).bytes();
        ProtocolLimits limits = ProtocolLimits.DEFAULTS.withMaxMessageBytes(bytes.length - 1);

        assertEquals("message", assertThrows(LengthLimitExceededException.class, () -> Message.decode(bytes, limits)).field());
    }

    @Test
    void messageExactlyAtTheLimitIsAccepted() throws Exception {
        byte[] bytes = HandMadeMessage.valid().body(new byte[60]).attachment(new byte[10]).bytes();

        Message.decode(bytes, ProtocolLimits.DEFAULTS.withMaxMessageBytes(bytes.length));
    }

    @Test
    void attachmentCountOverTheLimitIsRefused() {
        byte[] bytes = HandMadeMessage.valid().attachment(new byte[1]).attachment(new byte[1]).bytes();

        LengthLimitExceededException e = assertThrows(LengthLimitExceededException.class,
                () -> Message.decode(bytes, ProtocolLimits.DEFAULTS.withMaxAttachments(1)));
        assertEquals("attachment count", e.field());
    }

    @Test
    void attachmentOverTheLimitIsRefused() {
        byte[] bytes = HandMadeMessage.valid().attachment(new byte[1]).declaredAttachmentLength(0, -1L).bytes();

        LengthLimitExceededException e = assertThrows(LengthLimitExceededException.class, () -> Message.decode(bytes));
        assertEquals("attachment 1", e.field());
        assertEquals(-1L, e.declared());
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1L, Long.MAX_VALUE})
    void hugeBodyLengthIsOverTheLimitNotNegative(long declared) {
        byte[] header = HandMadeMessage.valid().declaredBodyLength(declared).header();

        LengthLimitExceededException e = assertThrows(LengthLimitExceededException.class, () -> Message.decode(header));
        assertEquals("body", e.field());
        assertEquals(declared, e.declared());
    }

    @Test
    void lengthsAreCheckedBeforeTheVersion() {
        byte[] header = HandMadeMessage.valid().version(7).declaredLogLength(Long.MIN_VALUE).header();

        assertThrows(LengthLimitExceededException.class, () -> Message.decode(header));
    }
}
