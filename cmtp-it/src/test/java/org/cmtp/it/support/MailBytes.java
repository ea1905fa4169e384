package org.cmtp.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a CMTP message byte by byte from PROTOCOL.md §6, independently of the
 * server's codec, so that the tests check the server against the contract and not
 * against its own encoder.
 */
public final class MailBytes {

    public static final byte[] ZERO_PROOF_OF_WORK = new byte[64];

    private int version = 1;
    private String destinationAccount = "";
    private String destinationDomain = "";
    private String sourceAccount = "alice";
    private String sourceDomain = "elsewhere.test";
    private byte[] log = new byte[0];
    private byte[] body = new byte[0];
    private final List<byte[]> attachments = new ArrayList<>();

    public static MailBytes to(String account, String domain) {
        MailBytes mail = new MailBytes();
        mail.destinationAccount = account;
        mail.destinationDomain = domain;
        return mail;
    }

    public MailBytes from(String account, String domain) {
        sourceAccount = account;
        sourceDomain = domain;
        return this;
    }

    public MailBytes version(int value) {
        version = value;
        return this;
    }

    public MailBytes log(String text) {
        log = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public MailBytes body(byte[] value) {
        body = value.clone();
        return this;
    }

    public MailBytes attachment(byte[] value) {
        attachments.add(value.clone());
        return this;
    }

    /** The message as stored: version through the last attachment. */
    public byte[] message() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(24).putInt(version).putInt(attachments.size())
                .putLong(log.length).putLong(body.length).array());
        for (String field : List.of(destinationAccount, destinationDomain, sourceAccount, sourceDomain)) {
            out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.writeBytes(log);
        out.writeBytes(body);
        for (byte[] attachment : attachments) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(attachment.length).array());
            out.writeBytes(attachment);
        }
        return out.toByteArray();
    }

    /** The whole client stream: {@code MAIL\0}, the message, 64 zero bytes of proof of work. */
    public byte[] command() {
        return concat("MAIL\0".getBytes(StandardCharsets.US_ASCII), message(), ZERO_PROOF_OF_WORK);
    }

    /** What a server stores after appending {@code line} to the log (PROTOCOL.md §6). */
    public byte[] storedWith(String line) {
        MailBytes stored = copy();
        stored.log = concat(log, line.getBytes(StandardCharsets.UTF_8));
        return stored.message();
    }

    private MailBytes copy() {
        MailBytes copy = to(destinationAccount, destinationDomain).from(sourceAccount, sourceDomain).version(version)
                .body(body);
        copy.log = log;
        copy.attachments.addAll(attachments);
        return copy;
    }

    /** @return whether {@code needle} occurs anywhere in {@code haystack} */
    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
