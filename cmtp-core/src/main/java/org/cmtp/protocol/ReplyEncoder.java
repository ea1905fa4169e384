package org.cmtp.protocol;

import java.nio.ByteBuffer;

import org.cmtp.wire.WireString;

/** Server side: turns a {@link Reply} into the bytes to send. */
public final class ReplyEncoder {

    private ReplyEncoder() {
    }

    /** @return the reply's wire form */
    public static byte[] encode(Reply reply) {
        if (reply instanceof TextReply text) {
            return encodeText(text);
        }
        if (reply instanceof KeyReply key) {
            return ByteBuffer.allocate(KeyReply.WIRE_BYTES)
                    .putInt(key.version())
                    .put(key.publicKey()).put((byte) 0)
                    .put(key.signature()).put((byte) 0)
                    .array();
        }
        if (reply instanceof SignedStatus status) {
            byte[] word = status.word().wireBytes();
            return ByteBuffer.allocate(4 + word.length + 1 + SignedStatus.SIGNATURE_BYTES + 1)
                    .putInt(SignedStatus.VERSION)
                    .put(word).put((byte) 0)
                    .put(status.signature()).put((byte) 0)
                    .array();
        }
        LoginReply login = (LoginReply) reply;
        byte[] xzibit = login.xzibit();
        return ByteBuffer.allocate(xzibit.length + LoginReply.SIGNATURE_BYTES)
                .put(xzibit)
                .put(login.signature())
                .array();
    }

    private static byte[] encodeText(TextReply reply) {
        byte[] text = WireString.encodeUtf8("text reply", reply.text());
        return ByteBuffer.allocate(text.length + 1).put(text).put((byte) 0).array();
    }
}
