package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cmtp.message.HandMadeMessage;
import org.cmtp.vectors.WireVectors;

import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;

/**
 * Whatever bytes arrive, the decoders either decode them, the same way however the bytes
 * are cut, or report one of the typed {@link ProtocolException}s: never another exception,
 * never a hang. {@link Decoding} lets any other exception escape, failing the property.
 */
class DecoderPropertiesTest {

    private static final ProtocolLimits SMALL_LIMITS = ProtocolLimits.DEFAULTS
            .withMaxMessageBytes(300).withMaxAttachments(3).withMaxLogBytes(64)
            .withMaxXzibitCiphertextBytes(150).withMaxTextReplyBytes(100);

    @Property(tries = 1500)
    void anyCommandRoundTrips(@ForAll("commands") Command command) throws ProtocolException {
        CommandDecoder decoder = new CommandDecoder();
        decoder.feed(CommandEncoder.encode(command));

        assertEquals(command, decoder.next().orElseThrow());
        assertTrue(decoder.isIdle());
    }

    @Property(tries = 1500)
    void anyReplyRoundTrips(@ForAll("replies") Reply reply) throws ProtocolException {
        assertEquals(reply, ReplyCodecTest.decodeOne(ReplyEncoder.encode(reply), kindFor(reply)));
    }

    @Property(tries = 2000)
    void mutatedCommandStreamsDecodeTheSameInAnyPieces(@ForAll("mutatedCommandStreams") byte[] stream,
                                                      @ForAll Random random, @ForAll boolean smallLimits) {
        assertConsistentCommands(stream, random, smallLimits ? SMALL_LIMITS : ProtocolLimits.DEFAULTS);
    }

    @Property(tries = 1500)
    void randomBytesAsCommandsDecodeTheSameInAnyPieces(@ForAll("commandNoise") byte[] stream, @ForAll Random random) {
        assertConsistentCommands(stream, random, ProtocolLimits.DEFAULTS);
    }

    @Property(tries = 2000)
    void mutatedReplyStreamsDecodeTheSameInAnyPieces(@ForAll("mutatedReplyStreams") byte[] stream,
                                                    @ForAll Random random, @ForAll boolean smallLimits) {
        assertConsistentReplies(stream, IncrementalReplyDecodingTest.sessionKinds(), random,
                smallLimits ? SMALL_LIMITS : ProtocolLimits.DEFAULTS);
    }

    @Property(tries = 1500)
    void randomBytesAsRepliesDecodeTheSameInAnyPieces(@ForAll("replyNoise") byte[] stream,
                                                     @ForAll("replyKinds") List<ReplyKind> kinds, @ForAll Random random) {
        assertConsistentReplies(stream, kinds, random, ProtocolLimits.DEFAULTS);
    }

    private static void assertConsistentCommands(byte[] stream, Random random, ProtocolLimits limits) {
        List<Object> whole = Decoding.commands(stream, limits, new int[] {stream.length});

        assertEquals(whole, Decoding.commands(stream, limits, Mutations.randomPieces(stream.length, random)));
        assertTrue(whole.size() <= stream.length + 1, "bounded input gives bounded output");
    }

    private static void assertConsistentReplies(byte[] stream, List<ReplyKind> kinds, Random random, ProtocolLimits limits) {
        List<Object> whole = Decoding.replies(stream, kinds, limits, new int[] {stream.length});

        assertEquals(whole, Decoding.replies(stream, kinds, limits, Mutations.randomPieces(stream.length, random)));
        assertTrue(whole.size() <= kinds.size() + 1);
    }

    @Provide
    Arbitrary<Command> commands() {
        return WireArbitraries.command();
    }

    @Provide
    Arbitrary<Reply> replies() {
        return WireArbitraries.reply();
    }

    @Provide
    Arbitrary<byte[]> mutatedCommandStreams() {
        List<byte[]> originals = List.of(
                WireVectors.bytes("mail_wire.bin"),
                IncrementalCommandDecodingTest.pipelined(),
                IncrementalCommandDecodingTest.withRecoverableErrors(),
                mailWithAttachments());
        return Arbitraries.randoms().map(random ->
                Mutations.mutate(originals.get(random.nextInt(originals.size())), random));
    }

    @Provide
    Arbitrary<byte[]> commandNoise() {
        Arbitrary<byte[]> noise = WireArbitraries.bytes(300);
        Arbitrary<String> word = Arbitraries.of("OHAI", "NOOP", "HELP", "OBAI", "KEYREQUEST", "LOGIN", "MAIL");
        return Arbitraries.oneOf(noise, word.flatMap(w -> noise.map(tail -> concat(CommandCodecTest.ascii(w + "\0"), tail))));
    }

    @Provide
    Arbitrary<byte[]> mutatedReplyStreams() {
        byte[] session = IncrementalReplyDecodingTest.session();
        return Arbitraries.randoms().map(random -> Mutations.mutate(session, random));
    }

    @Provide
    Arbitrary<byte[]> replyNoise() {
        Arbitrary<byte[]> leading = Arbitraries.of(new byte[0], new byte[] {0, 0, 0, 0}, new byte[] {0, 0, 0, 1});
        return leading.flatMap(start -> WireArbitraries.bytes(300).map(tail -> concat(start, tail)));
    }

    @Provide
    Arbitrary<List<ReplyKind>> replyKinds() {
        return Arbitraries.of(ReplyKind.class).list().ofMinSize(1).ofMaxSize(6);
    }

    private static ReplyKind kindFor(Reply reply) {
        if (reply instanceof KeyReply) {
            return ReplyKind.KEY_OR_STATUS;
        }
        if (reply instanceof LoginReply) {
            return ReplyKind.XZIBIT_OR_STATUS;
        }
        return reply instanceof SignedStatus ? ReplyKind.STATUS : ReplyKind.TEXT;
    }

    private static byte[] mailWithAttachments() {
        return concat(concat(CommandCodecTest.ascii("MAIL\0"),
                HandMadeMessage.valid().log(CommandCodecTest.ascii("a line\n")).attachment(new byte[20]).attachment(new byte[0]).bytes()),
                new byte[64]);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }
}
