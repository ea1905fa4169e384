package org.cmtp.message;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds message bytes field by field, including values {@link Message} refuses to build
 * (bad versions, lying lengths, invalid UTF-8, over-long strings), to feed decoders hostile
 * input. Defaults to a valid version-1 message from alice@hawaii.edu to bob@hawaii.edu.
 */
public final class HandMadeMessage {

    private long version = 1;
    private Long attachmentCount;
    private Long logLength;
    private Long bodyLength;
    private final byte[][] strings = {
        utf8("bob"), utf8("hawaii.edu"), utf8("alice"), utf8("hawaii.edu"),
    };
    private byte[] log = new byte[0];
    private byte[] body = utf8("body");
    private final List<byte[]> attachments = new ArrayList<>();
    private final Map<Integer, Long> attachmentLengths = new HashMap<>();

    public static HandMadeMessage valid() {
        return new HandMadeMessage();
    }

    /** The version field, as an unsigned u32. */
    public HandMadeMessage version(long value) {
        version = value;
        return this;
    }

    /** Declares this attachment count instead of the real one. */
    public HandMadeMessage declaredAttachmentCount(long value) {
        attachmentCount = value;
        return this;
    }

    /** Declares this log length instead of the real one. */
    public HandMadeMessage declaredLogLength(long value) {
        logLength = value;
        return this;
    }

    /** Declares this body length instead of the real one. */
    public HandMadeMessage declaredBodyLength(long value) {
        bodyLength = value;
        return this;
    }

    /** Declares this length for attachment {@code index} (from 0) instead of the real one. */
    public HandMadeMessage declaredAttachmentLength(int index, long value) {
        attachmentLengths.put(index, value);
        return this;
    }

    /** Sets address string {@code index}: 0 destination account, 1 destination domain, 2 source account, 3 source domain. */
    public HandMadeMessage addressPart(int index, byte[] value) {
        strings[index] = value.clone();
        return this;
    }

    public HandMadeMessage log(byte[] value) {
        log = value.clone();
        return this;
    }

    public HandMadeMessage body(byte[] value) {
        body = value.clone();
        return this;
    }

    public HandMadeMessage attachment(byte[] value) {
        attachments.add(value.clone());
        return this;
    }

    /** @return the 24-byte header alone */
    public byte[] header() {
        return ByteBuffer.allocate(24)
                .putInt((int) version)
                .putInt((int) (attachmentCount != null ? attachmentCount : attachments.size()))
                .putLong(logLength != null ? logLength : log.length)
                .putLong(bodyLength != null ? bodyLength : body.length)
                .array();
    }

    /** @return the header and the four address strings */
    public byte[] headerAndAddresses() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header());
        for (byte[] string : strings) {
            out.writeBytes(string);
            out.write(0);
        }
        return out.toByteArray();
    }

    /** @return the whole message */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(headerAndAddresses());
        out.writeBytes(log);
        out.writeBytes(body);
        for (int i = 0; i < attachments.size(); i++) {
            byte[] attachment = attachments.get(i);
            out.writeBytes(ByteBuffer.allocate(8).putLong(attachmentLengths.getOrDefault(i, (long) attachment.length)).array());
            out.writeBytes(attachment);
        }
        return out.toByteArray();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
