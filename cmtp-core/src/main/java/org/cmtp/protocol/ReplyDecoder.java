package org.cmtp.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;

import org.cmtp.wire.BadVersionException;
import org.cmtp.wire.FixedField;
import org.cmtp.wire.InvalidUtf8Exception;
import org.cmtp.wire.LengthLimitExceededException;
import org.cmtp.wire.MalformedReplyException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.wire.StringField;
import org.cmtp.wire.StringTooLongException;
import org.cmtp.wire.TruncatedInputException;
import org.cmtp.wire.WireString;

/**
 * Client side: turns the bytes of a server's stream into {@link Reply}s, however the
 * stream is split. A reply does not say what it is, so the client tells the decoder, in
 * order, what it awaits: {@link ReplyKind#TEXT} for the banner, then
 * {@link #expectReplyTo(Command)} for each command it sends (pipelining is fine, the
 * expectations queue up).
 *
 * <pre>{@code
 * ReplyDecoder replies = new ReplyDecoder(limits);
 * replies.expect(ReplyKind.TEXT);                       // the banner
 * send(command); replies.expectReplyTo(command);
 * while (true) {
 *     replies.feed(bytesFromSocket);
 *     Optional<Reply> reply = replies.next();            // throws ProtocolException: close
 *     if (reply.isPresent()) { handle(reply.get()); break; }
 * }
 * }</pre>
 *
 * <p>How the leading u32 is read, per kind awaited:
 * <ul>
 * <li>{@code TEXT}: a text reply starts with a printable byte, never {@code \0}; a reply
 *     starting with {@code \0} is read as a signed status (u32 0), since a server answers
 *     commands it does not support with a signed {@code FAILURE} (§1.5).</li>
 * <li>{@code KEY_OR_STATUS}: 1 is a key reply, 0 a status, anything else an error.</li>
 * <li>{@code BOUND_KEY_OR_STATUS}: 2 is an address-bound key reply, 0 a status, anything
 *     else (a version-1 key reply included) an error.</li>
 * <li>{@code XZIBIT_OR_STATUS}: 0 is a status; anything else is an xzibit of that version,
 *     framed by its length field (checked against the xzibit limit before allocating).</li>
 * <li>{@code STATUS}: 0 is a status, anything else an error.</li>
 * </ul>
 *
 * <p>Every error is fatal ({@link ProtocolException#isRecoverable()} is false): a client
 * that cannot read its server's replies cannot know which reply answers which command, so
 * it closes. After an error, input is ignored. Like {@link CommandDecoder}, {@link #feed}
 * never throws and {@link #next} hands out replies and errors in stream order. One decoder
 * per connection; not thread-safe.
 */
public final class ReplyDecoder extends IncrementalDecoder<Reply> {

    private enum Stage { AWAITING, TEXT, VERSION, KEY, STATUS_WORD, STATUS_END, XZIBIT_HEADER, XZIBIT_CIPHERTEXT, LOGIN_SIGNATURE }

    private static final int FIRST_TEXT_CAPACITY = 256;

    private final ProtocolLimits limits;
    private final ArrayDeque<ReplyKind> expected = new ArrayDeque<>();
    private final FixedField version = new FixedField(4);
    private final FixedField key = new FixedField(KeyReply.PUBLIC_KEY_BYTES + 1 + KeyReply.SIGNATURE_BYTES + 1);
    private final StringField word = new StringField();
    private final FixedField statusEnd = new FixedField(SignedStatus.SIGNATURE_BYTES + 1);
    private final FixedField xzibitHeader = new FixedField(LoginReply.XZIBIT_HEADER_BYTES - 4);
    private final FixedField loginSignature = new FixedField(LoginReply.SIGNATURE_BYTES);

    private Stage stage = Stage.AWAITING;
    private ReplyKind current;
    private byte[] text = new byte[0];
    private int textLength;
    private StatusWord statusWord;
    private byte[] xzibit;
    private int xzibitFilled;

    /** A decoder with {@link ProtocolLimits#DEFAULTS}. */
    public ReplyDecoder() {
        this(ProtocolLimits.DEFAULTS);
    }

    public ReplyDecoder(ProtocolLimits limits) {
        super(Reply.class);
        this.limits = limits;
    }

    /** Queues the kind of the next reply not yet awaited. */
    public void expect(ReplyKind kind) {
        expected.add(kind);
    }

    /** Queues the kind of reply that answers {@code command}. */
    public void expectReplyTo(Command command) {
        expect(ReplyKind.forCommand(command));
    }

    /**
     * Reports the end of the server's stream.
     *
     * @throws TruncatedInputException if it ended inside a reply or with replies still awaited
     */
    public void finish() throws TruncatedInputException {
        if (isBroken() || (stage == Stage.AWAITING && expected.isEmpty())) {
            return;
        }
        String field = currentField();
        breakDown();
        throw new TruncatedInputException(field);
    }

    /** @return true when no part of a reply is buffered */
    public boolean isIdle() {
        return stage == Stage.AWAITING;
    }

    /** @return the replies awaited and not yet complete, the one being received included */
    public int awaitedReplies() {
        return expected.size() + (current != null ? 1 : 0);
    }

    @Override
    void step(ByteBuffer in) throws ProtocolException {
        switch (stage) {
            case AWAITING -> startReply(in.get(in.position()));
            case TEXT -> readText(in);
            case VERSION -> {
                if (version.fill(in)) {
                    acceptVersion();
                }
            }
            case KEY -> {
                if (key.fill(in)) {
                    acceptKey();
                }
            }
            case STATUS_WORD -> {
                if (word.fill(in, "status word")) {
                    acceptStatusWord();
                }
            }
            case STATUS_END -> {
                if (statusEnd.fill(in)) {
                    acceptStatusEnd();
                }
            }
            case XZIBIT_HEADER -> {
                if (xzibitHeader.fill(in)) {
                    acceptXzibitHeader();
                }
            }
            case XZIBIT_CIPHERTEXT -> readXzibitCiphertext(in);
            case LOGIN_SIGNATURE -> {
                if (loginSignature.fill(in)) {
                    complete(new LoginReply(xzibit, loginSignature.copy()));
                }
            }
            default -> throw new IllegalStateException(stage.name());
        }
    }

    /** Looks at the first byte of a reply, without consuming it, to pick how to read it. */
    private void startReply(byte first) throws MalformedReplyException {
        current = expected.poll();
        if (current == null) {
            throw new MalformedReplyException("bytes arrived while no reply was awaited");
        }
        if (current == ReplyKind.TEXT && first != 0) {
            textLength = 0;
            stage = Stage.TEXT;
        } else {
            version.clear();
            stage = Stage.VERSION;
        }
    }

    private void readText(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == 0) {
                acceptText();
                return;
            }
            if (textLength == limits.maxTextReplyBytes()) {
                throw new StringTooLongException("text reply", limits.maxTextReplyBytes());
            }
            if (textLength == text.length) {
                text = Arrays.copyOf(text, Math.min(limits.maxTextReplyBytes(), Math.max(FIRST_TEXT_CAPACITY, 2 * text.length)));
            }
            text[textLength++] = b;
        }
    }

    private void acceptText() throws ProtocolException {
        String decoded;
        try {
            decoded = WireString.decodeUtf8(text, 0, textLength, "text reply");
        } catch (InvalidUtf8Exception e) {
            throw new InvalidUtf8Exception("text reply", false);
        }
        if (!decoded.endsWith("\n")) {
            throw new MalformedReplyException("text reply does not end with a newline");
        }
        complete(new TextReply(decoded));
    }

    private void acceptVersion() throws ProtocolException {
        long leading = version.u32(0);
        if (leading == SignedStatus.VERSION) {
            word.clear();
            stage = Stage.STATUS_WORD;
            return;
        }
        switch (current) {
            case KEY_OR_STATUS -> {
                if (leading != KeyReply.VERSION) {
                    throw new BadVersionException("key reply version", leading, false);
                }
                key.clear();
                stage = Stage.KEY;
            }
            case BOUND_KEY_OR_STATUS -> {
                if (leading != KeyReply.BOUND_VERSION) {
                    throw new BadVersionException("KEYBIND reply version (an address-bound reply is version 2)",
                            leading, false);
                }
                key.clear();
                stage = Stage.KEY;
            }
            case XZIBIT_OR_STATUS -> {
                xzibitHeader.clear();
                stage = Stage.XZIBIT_HEADER;
            }
            case STATUS -> throw new BadVersionException("status reply version", leading, false);
            case TEXT -> throw new MalformedReplyException("a reply starting with \\0 is a status, but its version is " + leading);
            default -> throw new IllegalStateException(current.name());
        }
    }

    private void acceptKey() throws ProtocolException {
        if (key.byteAt(KeyReply.PUBLIC_KEY_BYTES) != 0 || key.byteAt(key.size() - 1) != 0) {
            throw new MalformedReplyException("key reply without its \\0 separators");
        }
        byte[] publicKey = key.copy(0, KeyReply.PUBLIC_KEY_BYTES);
        byte[] signature = key.copy(KeyReply.PUBLIC_KEY_BYTES + 1, key.size() - 1);
        complete(current == ReplyKind.BOUND_KEY_OR_STATUS ? KeyReply.bound(publicKey, signature)
                : new KeyReply(publicKey, signature));
    }

    private void acceptStatusWord() throws MalformedReplyException {
        byte[] bytes = word.bytes();
        statusWord = StatusWord.fromWire(new String(bytes, StandardCharsets.ISO_8859_1))
                .orElseThrow(() -> new MalformedReplyException(
                        "unknown status word \"" + WireString.printable(bytes, bytes.length) + "\""));
        statusEnd.clear();
        stage = Stage.STATUS_END;
    }

    private void acceptStatusEnd() throws MalformedReplyException {
        if (statusEnd.byteAt(SignedStatus.SIGNATURE_BYTES) != 0) {
            throw new MalformedReplyException("status reply without the \\0 after its signature");
        }
        complete(new SignedStatus(statusWord, statusEnd.copy(0, SignedStatus.SIGNATURE_BYTES)));
    }

    private void acceptXzibitHeader() throws LengthLimitExceededException {
        long ciphertextLength = xzibitHeader.u64(LoginReply.SALT_BYTES);
        ProtocolLimits.check("xzibit ciphertext", ciphertextLength, limits.maxXzibitCiphertextBytes());
        xzibit = new byte[LoginReply.XZIBIT_HEADER_BYTES + (int) ciphertextLength];
        version.copyTo(xzibit, 0);
        xzibitHeader.copyTo(xzibit, 4);
        xzibitFilled = LoginReply.XZIBIT_HEADER_BYTES;
        stage = Stage.XZIBIT_CIPHERTEXT;
        loginSignature.clear();
        if (xzibitFilled == xzibit.length) {
            stage = Stage.LOGIN_SIGNATURE;
        }
    }

    private void readXzibitCiphertext(ByteBuffer in) {
        int n = Math.min(in.remaining(), xzibit.length - xzibitFilled);
        in.get(xzibit, xzibitFilled, n);
        xzibitFilled += n;
        if (xzibitFilled == xzibit.length) {
            stage = Stage.LOGIN_SIGNATURE;
        }
    }

    private void complete(Reply reply) {
        emit(reply);
        current = null;
        stage = Stage.AWAITING;
        statusWord = null;
        xzibit = null;
    }

    private String currentField() {
        return switch (stage) {
            case AWAITING -> "an awaited reply";
            case TEXT -> "text reply";
            case VERSION -> "reply version";
            case KEY -> "key reply";
            case STATUS_WORD -> "status word";
            case STATUS_END -> "status signature";
            case XZIBIT_HEADER -> "xzibit header";
            case XZIBIT_CIPHERTEXT -> "xzibit ciphertext";
            case LOGIN_SIGNATURE -> "xzibit signature";
        };
    }
}
