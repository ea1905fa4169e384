package org.cmtp.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cmtp.crypto.Blake2b;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.CommandDecoder;
import org.cmtp.protocol.Mutations;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.protocol.WireArbitraries;
import org.cmtp.vectors.WireVectors;

/**
 * The message format is canonical: whatever decodes re-encodes to the same bytes, and
 * whatever does not decode fails with a typed {@link ProtocolException}.
 */
class MessagePropertiesTest {

    @Property(tries = 1500)
    void anyMessageRoundTrips(@ForAll("messages") Message message) throws ProtocolException {
        Message decoded = Message.decode(message.encode());

        assertEquals(message, decoded);
        assertEquals(message.log(), decoded.log());
        assertEquals(message.destination(), decoded.destination());
        assertEquals(message.attachmentCount(), decoded.attachmentCount());
    }

    @Property(tries = 1000)
    void appendingALogLineChangesOnlyTheLog(@ForAll("messages") Message message) throws ProtocolException {
        Message stored = Message.decode(Message.appendLogLine(message.encode(), "2026-11-28T16:00:00Z hawaii.edu accepted"));

        assertEquals(message.log() + "2026-11-28T16:00:00Z hawaii.edu accepted\n", stored.log());
        assertEquals(new Message(message.version(), message.destination(), message.source(), stored.log(),
                message.body(), message.attachments()), stored);
        assertArrayEquals(stored.encode(), message.withLogLine("2026-11-28T16:00:00Z hawaii.edu accepted"),
                "the instance method gives the static one's bytes");
    }

    @Property(tries = 300)
    void hashIsOfTheWireForm(@ForAll("messages") Message message) {
        assertArrayEquals(Blake2b.hash512(message.encode()), message.hash512());
    }

    @Property(tries = 2000)
    void mutatedMessagesDecodeCanonicallyOrFailTyped(@ForAll("mutatedMessages") byte[] bytes, @ForAll boolean smallLimits) {
        ProtocolLimits limits = smallLimits ? ProtocolLimits.DEFAULTS.withMaxMessageBytes(250).withMaxAttachments(2) : ProtocolLimits.DEFAULTS;
        try {
            Message message = Message.decode(bytes, limits);
            assertArrayEquals(bytes, message.encode());
            assertEquals(message, mailedThroughTheCommandDecoder(bytes, limits));
        } catch (ProtocolException expected) {
            // a typed rejection is a correct outcome; anything else fails the property
        }
    }

    @Property(tries = 1500)
    void anyPlaintextBodyRoundTrips(@ForAll("plaintextBodies") PlaintextBody body) throws ProtocolException {
        assertEquals(body, PlaintextBody.decode(body.encode()));
    }

    @Property(tries = 1500)
    void randomPlaintextBodiesDecodeCanonicallyOrFailTyped(@ForAll("noise") byte[] bytes) {
        try {
            assertArrayEquals(bytes, PlaintextBody.decode(bytes).encode());
        } catch (ProtocolException expected) {
            // typed rejection
        }
    }

    @Property(tries = 1500)
    void anyAttachmentRoundTrips(@ForAll("attachments") Attachment attachment) throws ProtocolException {
        assertEquals(attachment, Attachment.decode(attachment.encode()));
    }

    @Property(tries = 1500)
    void mutatedAttachmentsDecodeCanonicallyOrFailTyped(@ForAll("mutatedAttachments") byte[] blob) {
        try {
            assertArrayEquals(blob, Attachment.decode(blob).encode());
        } catch (ProtocolException expected) {
            // typed rejection
        }
    }

    private static Message mailedThroughTheCommandDecoder(byte[] message, ProtocolLimits limits) throws ProtocolException {
        CommandDecoder decoder = new CommandDecoder(limits);
        decoder.feed("MAIL\0".getBytes(StandardCharsets.US_ASCII));
        decoder.feed(message);
        decoder.feed(new byte[64]);
        return ((Command.Mail) decoder.next().orElseThrow()).message();
    }

    @Provide
    Arbitrary<Message> messages() {
        return WireArbitraries.message();
    }

    @Provide
    Arbitrary<PlaintextBody> plaintextBodies() {
        return WireArbitraries.plaintextBody();
    }

    @Provide
    Arbitrary<Attachment> attachments() {
        return WireArbitraries.attachment();
    }

    @Provide
    Arbitrary<byte[]> noise() {
        return Arbitraries.oneOf(WireArbitraries.bytes(300),
                Arbitraries.randoms().map(random -> Mutations.mutate(samplePlaintextBody(), random)));
    }

    @Provide
    Arbitrary<byte[]> mutatedMessages() {
        List<byte[]> originals = List.of(
                WireVectors.bytes("mail_stored.bin"),
                HandMadeMessage.valid().log("x\n".getBytes(StandardCharsets.US_ASCII))
                        .attachment(new byte[30]).attachment(new byte[0]).attachment(new byte[3]).bytes());
        return Arbitraries.randoms().map((Random random) ->
                Mutations.mutate(originals.get(random.nextInt(originals.size())), random));
    }

    @Provide
    Arbitrary<byte[]> mutatedAttachments() {
        byte[] original = new Attachment("report.pdf", new byte[] {1, 2, 3}).encode();
        return Arbitraries.randoms().map(random -> Mutations.mutate(original, random));
    }

    private static byte[] samplePlaintextBody() {
        return new PlaintextBody("alice@hawaii.edu", "Hi", "2026-11-28T16:00:00Z",
                List.of(new MailAddress("carol", "example.org")), "Hello\n").encode();
    }
}
