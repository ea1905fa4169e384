package org.cmtp.protocol;

import static org.cmtp.protocol.CommandCodecTest.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cmtp.message.HandMadeMessage;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;

/** The decoder must give the same commands however TCP cuts the stream. */
class IncrementalCommandDecodingTest {

    static Stream<Arguments> streams() {
        List<Arguments> streams = new ArrayList<>();
        streams.add(Arguments.of("mail_wire.bin", WireVectors.bytes("mail_wire.bin")));
        for (Command command : CommandCodecTest.everyCommand()) {
            streams.add(Arguments.of(command.word(), CommandEncoder.encode(command)));
        }
        streams.add(Arguments.of("all commands pipelined", pipelined()));
        streams.add(Arguments.of("errors between commands", withRecoverableErrors()));
        return streams.stream();
    }

    /** Every command, the vector and lone NULs, back to back in one buffer. */
    static byte[] pipelined() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Command command : CommandCodecTest.everyCommand()) {
            out.writeBytes(CommandEncoder.encode(command));
            out.write(0);
        }
        out.writeBytes(WireVectors.bytes("mail_wire.bin"));
        return out.toByteArray();
    }

    /** Commands interleaved with every kind of recoverable error. */
    static byte[] withRecoverableErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("BOGUS\0NOOP\0WAYTOOLONGCOMMAND\0OHAI\0"));
        out.writeBytes(ascii("KEYREQUEST\0a/b\0x\0LOGIN\0\0"));
        out.writeBytes(ascii("MAIL\0"));
        out.writeBytes(HandMadeMessage.valid().version(2).attachment(new byte[3]).bytes());
        out.writeBytes(new byte[64]);
        out.writeBytes(ascii("MAIL\0"));
        out.writeBytes(HandMadeMessage.valid().log(new byte[] {(byte) 0xFF}).bytes());
        out.writeBytes(new byte[64]);
        out.writeBytes(ascii("HELP\0"));
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void splitAtEveryPositionGivesTheSameCommands(String name, byte[] stream) {
        List<Object> whole = Decoding.commands(stream);

        for (int position = 0; position <= stream.length; position++) {
            assertEquals(whole, Decoding.commandsSplitAt(stream, position), "split at " + position);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void byteByByteGivesTheSameCommands(String name, byte[] stream) {
        assertEquals(Decoding.commands(stream), Decoding.commandsByteByByte(stream));
    }

    @Test
    void pipelinedStreamHoldsEveryCommandInOrder() {
        List<Object> expected = new ArrayList<>(CommandCodecTest.everyCommand());
        expected.add(new Command.Mail(decodedVector(), new byte[64]));

        assertEquals(expected, Decoding.commands(pipelined()));
    }

    @Test
    void recoverableErrorsLeaveTheCommandsAroundThemIntact() {
        List<Object> events = Decoding.commands(withRecoverableErrors());

        assertEquals(9, events.size());
        assertEquals(new Command.Noop(), events.get(1));
        assertEquals(new Command.Ohai(), events.get(3));
        assertEquals(new Command.Help(), events.get(8));
        for (int i : new int[] {0, 2, 4, 5, 6, 7}) {
            assertTrue(((Decoding.Failure) events.get(i)).recoverable(), "event " + i);
        }
    }

    @Test
    void aFullSizeMailFedOneByteAtATimeIsDecodedInLinearTime() {
        byte[] body = new byte[ProtocolLimits.DEFAULTS.maxMessageBytes() - 200];
        body[body.length - 1] = 42;
        Message message = new Message(Message.SEALED, new MailAddress("bob", "hawaii.edu"),
                new MailAddress("alice", "hawaii.edu"), "", body, List.of());
        byte[] stream = CommandEncoder.encode(new Command.Mail(message));

        Command decoded = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            CommandDecoder decoder = new CommandDecoder();
            ByteBuffer in = ByteBuffer.wrap(stream);
            for (int i = 0; i < stream.length; i++) {
                decoder.feed(in.limit(i + 1));
            }
            return decoder.next().orElseThrow();
        });

        assertTrue(((Command.Mail) decoded).message().isEncodedAs(message.encode()));
        assertArrayEquals(body, ((Command.Mail) decoded).message().body());
    }

    private static Message decodedVector() {
        try {
            return Message.decode(WireVectors.bytes("mail_stored.bin"));
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }
}
