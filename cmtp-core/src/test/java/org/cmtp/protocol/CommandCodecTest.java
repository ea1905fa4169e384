package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;

import org.cmtp.wire.UnknownCommandException;

class CommandCodecTest {

    static final MailAddress BOB = new MailAddress("bob", "hawaii.edu");
    static final MailAddress ALICE = new MailAddress("alice", "hawaii.edu");

    /** One of every command, MAIL with a log, a body and several attachments. */
    static List<Command> everyCommand() {
        Message message = new Message(Message.SEALED, BOB, ALICE, "2026-11-28T16:00:00Z hawaii.edu accepted\n",
                new byte[] {1, 2, 3, 0, 4},
                List.of(new byte[] {9}, new byte[0], new Attachment("notes.txt", ascii("hi")).encode()));
        byte[] proofOfWork = new byte[64];
        proofOfWork[63] = 7;
        return List.of(
                new Command.Ohai(), new Command.Noop(), new Command.Help(), new Command.Obai(),
                Command.KeyRequest.forServer(), Command.KeyRequest.forUser(BOB), new Command.KeyRequest("bob", ""),
                new Command.Login("alice"),
                new Command.Mail(message, proofOfWork));
    }

    @Test
    void mailVectorDecodesToOneMailCommand() throws Exception {
        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(WireVectors.bytes("mail_wire.bin"));

        Command.Mail mail = (Command.Mail) decoder.next().orElseThrow();
        Message message = mail.message();

        assertEquals(1, message.version());
        assertEquals(0, message.attachmentCount());
        assertEquals(BOB, message.destination());
        assertEquals(ALICE, message.source());
        assertEquals(WireVectors.text("mail_log.txt"), message.log());
        assertArrayEquals(WireVectors.bytes("sealed.bin"), message.body());
        assertArrayEquals(new byte[64], mail.proofOfWork());
        assertArrayEquals(WireVectors.bytes("mail_stored.bin"), mail.rawMessage());
        assertEquals(Optional.empty(), decoder.next());
        assertTrue(decoder.isIdle());
    }

    @Test
    void mailVectorReencodesByteForByte() throws Exception {
        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(WireVectors.bytes("mail_wire.bin"));

        assertArrayEquals(WireVectors.bytes("mail_wire.bin"), CommandEncoder.encode(decoder.next().orElseThrow()));
    }

    @Test
    void commandsHaveTheirDocumentedBytes() {
        assertArrayEquals(ascii("OHAI\0"), CommandEncoder.encode(new Command.Ohai()));
        assertArrayEquals(ascii("NOOP\0"), CommandEncoder.encode(new Command.Noop()));
        assertArrayEquals(ascii("HELP\0"), CommandEncoder.encode(new Command.Help()));
        assertArrayEquals(ascii("OBAI\0"), CommandEncoder.encode(new Command.Obai()));
        assertArrayEquals(ascii("KEYREQUEST\0\0"), CommandEncoder.encode(Command.KeyRequest.forServer()));
        assertArrayEquals(ascii("KEYREQUEST\0bob\0hawaii.edu\0"), CommandEncoder.encode(Command.KeyRequest.forUser(BOB)));
        assertArrayEquals(ascii("KEYREQUEST\0bob\0\0"), CommandEncoder.encode(new Command.KeyRequest("bob", "")));
        assertArrayEquals(ascii("LOGIN\0alice\0"), CommandEncoder.encode(new Command.Login("alice")));
    }

    @Test
    void everyCommandRoundTrips() throws Exception {
        for (Command command : everyCommand()) {
            CommandDecoder decoder = new CommandDecoder();
            decoder.feed(CommandEncoder.encode(command));

            assertEquals(Optional.of(command), decoder.next(), command.word());
            assertEquals(Optional.empty(), decoder.next());
        }
    }

    @Test
    void unicodeNamesRoundTrip() throws Exception {
        Command request = new Command.KeyRequest("bjørn", "例え.テスト");
        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(CommandEncoder.encode(request));

        assertEquals(Optional.of(request), decoder.next());
    }

    @Test
    void keyRequestForTheServerCarriesNoDomain() {
        assertThrows(IllegalArgumentException.class, () -> new Command.KeyRequest("", "hawaii.edu"));
        assertTrue(Command.KeyRequest.forServer().isForServer());
    }

    @Test
    void commandsRefuseParametersTheDecoderWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> new Command.KeyRequest("a/b", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Command.KeyRequest("bob", "x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> new Command.Login(""));
        assertThrows(IllegalArgumentException.class, () -> new Command.Login("a\0b"));
    }

    @Test
    void mailChecksItsProofOfWork() {
        Message message = ((Command.Mail) everyCommand().get(8)).message();

        assertThrows(IllegalArgumentException.class, () -> new Command.Mail(message, new byte[63]));
        assertArrayEquals(new byte[64], new Command.Mail(message).proofOfWork());
    }

    @Test
    void mailIsImmutable() {
        byte[] proofOfWork = new byte[64];
        Message message = ((Command.Mail) everyCommand().get(8)).message();
        Command.Mail mail = new Command.Mail(message, proofOfWork);

        proofOfWork[0] = 1;
        mail.proofOfWork()[1] = 1;
        mail.rawMessage()[0] = 1;

        assertArrayEquals(new byte[64], mail.proofOfWork());
        assertTrue(message.isEncodedAs(mail.rawMessage()));
    }

    @Test
    void loneNulsBetweenCommandsAreIgnored() throws Exception {
        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(ascii("\0\0NOOP\0\0\0OHAI\0\0"));

        assertEquals(Optional.of(new Command.Noop()), decoder.next());
        assertEquals(Optional.of(new Command.Ohai()), decoder.next());
        assertEquals(Optional.empty(), decoder.next());
        assertTrue(decoder.isIdle());
    }

    @Test
    void stateTellsTheServerWhichTimeoutApplies() {
        CommandDecoder decoder = new CommandDecoder();
        assertTrue(decoder.isIdle());

        decoder.feed(ascii("MA"));
        assertFalse(decoder.isIdle());
        assertFalse(decoder.inMail());

        decoder.feed(ascii("IL\0"));
        assertTrue(decoder.inMail());

        byte[] wire = WireVectors.bytes("mail_wire.bin");
        decoder.feed(wire, 5, wire.length - 5 - 1);
        assertTrue(decoder.inMail());

        decoder.feed(wire, wire.length - 1, 1);
        assertFalse(decoder.inMail());
        assertTrue(decoder.isIdle());
    }

    @Test
    void commandWordsAreCaseSensitive() {
        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(ascii("noop\0"));

        assertThrows(UnknownCommandException.class, decoder::next);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
