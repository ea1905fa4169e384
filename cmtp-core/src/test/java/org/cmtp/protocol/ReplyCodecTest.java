package org.cmtp.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cmtp.vectors.WireVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.cmtp.wire.ProtocolException;

class ReplyCodecTest {

    /** A vector and the kind a client awaits when it arrives. */
    record Expected(String vector, ReplyKind kind) {
    }

    static final List<Expected> VECTORS = List.of(
            new Expected("reply_banner.bin", ReplyKind.TEXT),
            new Expected("reply_ohai.bin", ReplyKind.TEXT),
            new Expected("reply_noop.bin", ReplyKind.TEXT),
            new Expected("reply_help.bin", ReplyKind.TEXT),
            new Expected("reply_keyrequest_server.bin", ReplyKind.KEY_OR_STATUS),
            new Expected("reply_keyrequest_user.bin", ReplyKind.KEY_OR_STATUS),
            new Expected("reply_login.bin", ReplyKind.XZIBIT_OR_STATUS),
            new Expected("reply_obai.bin", ReplyKind.TEXT));

    static SignedStatus keyNotAvailable() {
        return new SignedStatus(StatusWord.KEYNOTAVAILABLE, WireVectors.hex("sig_keynotavailable.hex"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reply_banner.bin", "reply_ohai.bin", "reply_noop.bin", "reply_help.bin", "reply_obai.bin"})
    void textVectorsDecodeAsTextAndEncodeBack(String vector) throws Exception {
        byte[] bytes = WireVectors.bytes(vector);

        TextReply reply = (TextReply) decodeOne(bytes, ReplyKind.TEXT);

        assertEquals(new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8), reply.text());
        assertArrayEquals(bytes, ReplyEncoder.encode(reply));
    }

    @Test
    void referenceTextsAreAsDocumented() throws Exception {
        assertEquals("HAI!!! :3\n", ((TextReply) decodeOne(WireVectors.bytes("reply_ohai.bin"), ReplyKind.TEXT)).text());
        assertEquals("Good bye\n", ((TextReply) decodeOne(WireVectors.bytes("reply_obai.bin"), ReplyKind.TEXT)).text());
    }

    @Test
    void serverKeyVectorDecodesAsAKeyReplyAndEncodesBack() throws Exception {
        byte[] bytes = WireVectors.bytes("reply_keyrequest_server.bin");

        KeyReply reply = (KeyReply) decodeOne(bytes, ReplyKind.KEY_OR_STATUS);

        assertEquals(KeyReply.WIRE_BYTES, bytes.length);
        assertArrayEquals(WireVectors.hex("server_ed25519_pk.hex"), reply.publicKey());
        assertArrayEquals(Arrays.copyOfRange(bytes, 37, 101), reply.signature());
        assertArrayEquals(bytes, ReplyEncoder.encode(reply));
    }

    @Test
    void userKeyVectorDecodesAsAKeyReplyAndEncodesBack() throws Exception {
        byte[] bytes = WireVectors.bytes("reply_keyrequest_user.bin");

        KeyReply reply = (KeyReply) decodeOne(bytes, ReplyKind.KEY_OR_STATUS);

        assertEquals(102, bytes.length);
        assertArrayEquals(WireVectors.hex("user_ed25519_pk.hex"), reply.publicKey());
        assertArrayEquals(bytes, ReplyEncoder.encode(reply));
    }

    @Test
    void loginVectorDecodesAsXzibitAndSignatureAndEncodesBack() throws Exception {
        byte[] bytes = WireVectors.bytes("reply_login.bin");

        LoginReply reply = (LoginReply) decodeOne(bytes, ReplyKind.XZIBIT_OR_STATUS);

        assertArrayEquals(WireVectors.bytes("xzibit.bin"), reply.xzibit());
        assertEquals(156, reply.xzibit().length);
        assertEquals(1, reply.xzibitVersion());
        assertArrayEquals(Arrays.copyOfRange(bytes, 156, 220), reply.signature());
        assertArrayEquals(bytes, ReplyEncoder.encode(reply));
    }

    @Test
    void signedKeyNotAvailableHasItsDocumentedBytes() {
        byte[] signature = WireVectors.hex("sig_keynotavailable.hex");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {0, 0, 0, 0});
        expected.writeBytes("KEYNOTAVAILABLE\0".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(signature);
        expected.write(0);

        assertArrayEquals(expected.toByteArray(), ReplyEncoder.encode(keyNotAvailable()));
    }

    @Test
    void statusSignatureCoversTheWordItsNulAndTheContext() {
        assertArrayEquals("KEYNOTAVAILABLE\0".getBytes(StandardCharsets.US_ASCII),
                SignedStatus.bytesToSign(StatusWord.KEYNOTAVAILABLE));
        byte[] hash = new byte[64];
        Arrays.fill(hash, (byte) 0xAB);
        byte[] signed = SignedStatus.bytesToSign(StatusWord.SUCCESS, hash);
        assertArrayEquals("SUCCESS\0".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(signed, 8));
        assertArrayEquals(hash, Arrays.copyOfRange(signed, 8, 72));
    }

    @Test
    void signedStatusRoundTripsUnderEveryKindThatAllowsIt() throws Exception {
        for (StatusWord word : StatusWord.values()) {
            SignedStatus status = new SignedStatus(word, signature(word.ordinal()));
            for (ReplyKind kind : ReplyKind.values()) {
                assertEquals(status, decodeOne(ReplyEncoder.encode(status), kind), word + " as " + kind);
            }
        }
    }

    @Test
    void everyReplyRoundTrips() throws Exception {
        byte[] xzibit = ByteBuffer.allocate(44 + 3).putInt(7).put(new byte[32]).putLong(3).put(new byte[] {1, 2, 3}).array();
        assertEquals(new TextReply("HAI!!! :3\nSIZE 26214400\nPOW 0\nÜnïcødé\n"),
                decodeOne(ReplyEncoder.encode(new TextReply("HAI!!! :3\nSIZE 26214400\nPOW 0\nÜnïcødé\n")), ReplyKind.TEXT));
        KeyReply key = new KeyReply(new byte[32], signature(1));
        assertEquals(key, decodeOne(ReplyEncoder.encode(key), ReplyKind.KEY_OR_STATUS));
        LoginReply login = new LoginReply(xzibit, signature(2));
        assertEquals(login, decodeOne(ReplyEncoder.encode(login), ReplyKind.XZIBIT_OR_STATUS));
        LoginReply empty = new LoginReply(ByteBuffer.allocate(44).putInt(1).array(), signature(3));
        assertEquals(empty, decodeOne(ReplyEncoder.encode(empty), ReplyKind.XZIBIT_OR_STATUS));
    }

    @Test
    void textRepliesListTheirLines() {
        assertEquals(List.of("HAI!!! :3", "SIZE 26214400", "POW 0"), new TextReply("HAI!!! :3\nSIZE 26214400\nPOW 0\n").lines());
    }

    @Test
    void repliesRefuseWhatCouldNotBeDecoded() {
        assertThrows(IllegalArgumentException.class, () -> new TextReply("no newline"));
        assertThrows(IllegalArgumentException.class, () -> new TextReply("nul\0\n"));
        assertThrows(IllegalArgumentException.class, () -> new KeyReply(new byte[31], new byte[64]));
        assertThrows(IllegalArgumentException.class, () -> new SignedStatus(StatusWord.SUCCESS, new byte[63]));
        assertThrows(IllegalArgumentException.class, () -> new LoginReply(new byte[44], new byte[64]));
        assertThrows(IllegalArgumentException.class,
                () -> new LoginReply(ByteBuffer.allocate(45).putInt(1).array(), new byte[64]));
    }

    @Test
    void eachCommandAwaitsItsKindOfReply() {
        assertEquals(ReplyKind.TEXT, ReplyKind.forCommand(new Command.Ohai()));
        assertEquals(ReplyKind.TEXT, ReplyKind.forCommand(new Command.Obai()));
        assertEquals(ReplyKind.KEY_OR_STATUS, ReplyKind.forCommand(Command.KeyRequest.forServer()));
        assertEquals(ReplyKind.XZIBIT_OR_STATUS, ReplyKind.forCommand(new Command.Login("bob")));
    }

    static Reply decodeOne(byte[] bytes, ReplyKind kind) throws ProtocolException {
        ReplyDecoder decoder = new ReplyDecoder();
        decoder.expect(kind);
        decoder.feed(bytes);
        Reply reply = decoder.next().orElseThrow(() -> new AssertionError("no reply decoded"));
        assertEquals(Optional.empty(), decoder.next());
        decoder.finish();
        return reply;
    }

    static byte[] signature(int seed) {
        byte[] signature = new byte[64];
        Arrays.fill(signature, (byte) seed);
        return signature;
    }
}
