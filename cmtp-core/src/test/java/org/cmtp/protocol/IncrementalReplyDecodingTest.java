package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The client decoder must give the same replies however TCP cuts the stream. */
class IncrementalReplyDecodingTest {

    static Stream<Arguments> streams() {
        List<Arguments> streams = new ArrayList<>();
        for (ReplyCodecTest.Expected expected : ReplyCodecTest.VECTORS) {
            streams.add(Arguments.of(expected.vector(), WireVectors.bytes(expected.vector()), List.of(expected.kind())));
        }
        streams.add(Arguments.of("KEYNOTAVAILABLE", ReplyEncoder.encode(ReplyCodecTest.keyNotAvailable()),
                List.of(ReplyKind.KEY_OR_STATUS)));
        streams.add(Arguments.of("session", session(), sessionKinds()));
        return streams.stream();
    }

    /** Every reply vector and a signed status, back to back, as one session's replies. */
    static byte[] session() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ReplyCodecTest.Expected expected : ReplyCodecTest.VECTORS) {
            out.writeBytes(WireVectors.bytes(expected.vector()));
        }
        out.writeBytes(ReplyEncoder.encode(ReplyCodecTest.keyNotAvailable()));
        out.writeBytes(ReplyEncoder.encode(new SignedStatus(StatusWord.SUCCESS, ReplyCodecTest.signature(9))));
        return out.toByteArray();
    }

    static List<ReplyKind> sessionKinds() {
        List<ReplyKind> kinds = new ArrayList<>();
        ReplyCodecTest.VECTORS.forEach(expected -> kinds.add(expected.kind()));
        kinds.add(ReplyKind.KEY_OR_STATUS);
        kinds.add(ReplyKind.STATUS);
        return kinds;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void splitAtEveryPositionGivesTheSameReplies(String name, byte[] stream, List<ReplyKind> kinds) {
        List<Object> whole = Decoding.replies(stream, kinds);

        for (int position = 0; position <= stream.length; position++) {
            assertEquals(whole, Decoding.repliesSplitAt(stream, kinds, position), "split at " + position);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void byteByByteGivesTheSameReplies(String name, byte[] stream, List<ReplyKind> kinds) {
        assertEquals(Decoding.replies(stream, kinds), Decoding.repliesByteByByte(stream, kinds));
    }

    @Test
    void sessionDecodesToOneReplyPerAwaitedKind() {
        List<Object> replies = Decoding.replies(session(), sessionKinds());

        assertEquals(sessionKinds().size(), replies.size());
        replies.forEach(reply -> assertInstanceOf(Reply.class, reply));
        assertEquals(ReplyCodecTest.keyNotAvailable(), replies.get(replies.size() - 2));
    }
}
