package org.cmtp.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.cmtp.message.Message;
import org.cmtp.message.MessageReader;

import org.cmtp.wire.FixedField;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.InvalidUtf8Exception;
import org.cmtp.wire.LengthLimitExceededException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.wire.StringField;
import org.cmtp.wire.StringTooLongException;
import org.cmtp.wire.TruncatedInputException;
import org.cmtp.wire.UnknownCommandException;
import org.cmtp.wire.WireString;

/**
 * Server side: turns the bytes of a client's stream into {@link Command}s, however the
 * stream is split into reads and however many commands one read holds (PROTOCOL.md §1).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * CommandDecoder decoder = new CommandDecoder(limits);
 * while (socket has bytes) {
 *     decoder.feed(buffer);                       // consumes the whole buffer
 *     while (true) {
 *         Optional<Command> command;
 *         try {
 *             command = decoder.next();
 *         } catch (ProtocolException e) {
 *             reply signed FAILURE;
 *             if (!e.isRecoverable() || decoder.consecutiveErrors() >= 10) close;
 *             continue;
 *         }
 *         if (command.isEmpty()) break;           // need more input
 *         handle(command.get());
 *     }
 * }
 * decoder.finish();                              // on end of stream: throws if a command was cut off
 * }</pre>
 * {@link #feed} never throws: it parses eagerly and queues, in stream order, each complete
 * command or error; {@link #next} hands them out one at a time, throwing the errors. So the
 * sequence seen through {@code next} depends only on the bytes, never on how they were split.
 *
 * <h2>Design</h2>
 * A state machine: every byte is examined once and only the current item is kept (a
 * command word of at most 10 bytes, one string of at most 255, or the MAIL message in
 * progress), so decoding is linear in the input even when a 25 MiB MAIL arrives one byte
 * at a time. Every length read from the wire is checked against {@link ProtocolLimits}
 * before anything is allocated for it. A lone {@code \0} where a command word is expected
 * is an empty command and is skipped.
 *
 * <h2>Which errors are recoverable</h2>
 * PROTOCOL.md does not say exactly; this decoder's rule is: an error is recoverable when the
 * bad item's extent is known and within limits, so the decoder can consume exactly that
 * item and stand at the start of the next command.
 * <ul>
 * <li>{@link UnknownCommandException} (unknown word, or over 10 bytes): input is discarded,
 *     without buffering, up to and including the next {@code \0}; reported once that
 *     {@code \0} is consumed. Recoverable (§1.5).</li>
 * <li>{@link InvalidUtf8Exception}, {@link InvalidAddressException} in KEYREQUEST or LOGIN:
 *     reported after the command's last string. Recoverable.</li>
 * <li>In MAIL, once the header's lengths are known and within limits, a bad version, a
 *     string or log not UTF-8, or an address breaking §7: the decoder discards the rest of
 *     the message and the 64-byte proof of work without buffering them, then reports the
 *     first such problem. Recoverable, so the server answers {@code FAILURE} and keeps the
 *     session.</li>
 * <li>{@link LengthLimitExceededException} (a length, count or the message size over its
 *     limit, reported the moment the length is read), {@link StringTooLongException} (no
 *     {@code \0} within 255 bytes) and {@link TruncatedInputException} (from
 *     {@link #finish}): fatal. The decoder then ignores all further input; the server
 *     answers at once and closes.</li>
 * </ul>
 * The decoder counts consecutive errors ({@link #consecutiveErrors()}), but closing after
 * ten (§1.5) is left to the server, which owns the session.
 *
 * <p>One decoder per connection; not thread-safe.
 */
public final class CommandDecoder extends IncrementalDecoder<Command> {

    /** The longest command word; a longer one is over-long (§1.5). */
    public static final int MAX_WORD_BYTES = 10;

    private enum Stage { WORD, SKIPPING_WORD, KEYREQUEST_USER, KEYREQUEST_DOMAIN, LOGIN_USER, MAIL_MESSAGE, MAIL_PROOF_OF_WORK }

    private final ProtocolLimits limits;
    private final byte[] word = new byte[MAX_WORD_BYTES];
    private final StringField string = new StringField();
    private final FixedField proofOfWork = new FixedField(Command.Mail.PROOF_OF_WORK_BYTES);

    private Stage stage = Stage.WORD;
    private int wordLength;
    /** The key command being read: KEYREQUEST and KEYBIND share their fields and rules. */
    private String keyWord;
    private String user;
    private MessageReader mail;
    private Message mailMessage;
    /** A recoverable problem in the current command, reported once the command is consumed. */
    private ProtocolException defect;
    private int consecutiveErrors;

    /** A decoder with {@link ProtocolLimits#DEFAULTS}. */
    public CommandDecoder() {
        this(ProtocolLimits.DEFAULTS);
    }

    public CommandDecoder(ProtocolLimits limits) {
        super(Command.class);
        this.limits = limits;
    }

    /**
     * @return the next complete command, or empty if more input is needed
     * @throws ProtocolException the next error in the stream; see the class comment for
     *                           which are recoverable
     */
    @Override
    public Optional<Command> next() throws ProtocolException {
        Optional<Command> command;
        try {
            command = super.next();
        } catch (ProtocolException error) {
            consecutiveErrors++;
            throw error;
        }
        if (command.isPresent()) {
            consecutiveErrors = 0;
        }
        return command;
    }

    /**
     * Reports the end of the client's stream.
     *
     * @throws TruncatedInputException if the stream ended inside a command
     */
    public void finish() throws TruncatedInputException {
        if (!isBroken() && !isIdle()) {
            TruncatedInputException truncated = new TruncatedInputException(currentField());
            breakDown();
            throw truncated;
        }
    }

    /**
     * @return true when no part of a command is buffered: the stream is between commands
     *         (the server's idle timeout applies, not its command-completion timeout)
     */
    public boolean isIdle() {
        return stage == Stage.WORD && wordLength == 0;
    }

    /** @return true while a MAIL's message or proof of work is being received */
    public boolean inMail() {
        return stage == Stage.MAIL_MESSAGE || stage == Stage.MAIL_PROOF_OF_WORK;
    }

    /**
     * @return the errors {@link #next} has thrown since it last returned a command; the
     *         server closes the session at 10 (PROTOCOL.md §1.5)
     */
    public int consecutiveErrors() {
        return consecutiveErrors;
    }

    @Override
    void step(ByteBuffer in) throws ProtocolException {
        switch (stage) {
            case WORD -> readWord(in);
            case SKIPPING_WORD -> skipWord(in);
            case KEYREQUEST_USER -> {
                if (string.fill(in, keyWord + " user")) {
                    acceptKeyRequestUser();
                }
            }
            case KEYREQUEST_DOMAIN -> {
                if (string.fill(in, keyWord + " domain")) {
                    acceptKeyRequestDomain();
                }
            }
            case LOGIN_USER -> {
                if (string.fill(in, "LOGIN user")) {
                    acceptLoginUser();
                }
            }
            case MAIL_MESSAGE -> {
                if (mail.read(in)) {
                    acceptMailMessage();
                }
            }
            case MAIL_PROOF_OF_WORK -> {
                if (proofOfWork.fill(in)) {
                    acceptProofOfWork();
                }
            }
            default -> throw new IllegalStateException(stage.name());
        }
    }

    private void readWord(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == 0) {
                if (wordLength > 0) {
                    dispatchWord();
                }
                return;
            }
            if (wordLength == MAX_WORD_BYTES) {
                stage = Stage.SKIPPING_WORD;
                return;
            }
            word[wordLength++] = b;
        }
    }

    /** Discards an over-long word up to and including its {@code \0}, keeping none of it. */
    private void skipWord(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (in.get() == 0) {
                complete(new UnknownCommandException(printableWord(), true));
                return;
            }
        }
    }

    private void dispatchWord() {
        switch (new String(word, 0, wordLength, StandardCharsets.ISO_8859_1)) {
            case "OHAI" -> complete(new Command.Ohai());
            case "NOOP" -> complete(new Command.Noop());
            case "HELP" -> complete(new Command.Help());
            case "OBAI" -> complete(new Command.Obai());
            case "KEYREQUEST", "KEYBIND" -> {
                keyWord = new String(word, 0, wordLength, StandardCharsets.ISO_8859_1);
                startString(Stage.KEYREQUEST_USER);
            }
            case "LOGIN" -> startString(Stage.LOGIN_USER);
            case "MAIL" -> {
                mail = new MessageReader(limits);
                stage = Stage.MAIL_MESSAGE;
            }
            default -> complete(new UnknownCommandException(printableWord(), false));
        }
    }

    private void startString(Stage next) {
        string.clear();
        stage = next;
    }

    private void acceptKeyRequestUser() {
        user = decodeString(keyWord + " user");
        if (string.isEmpty()) {
            completeKeyRequest("");
        } else {
            startString(Stage.KEYREQUEST_DOMAIN);
        }
    }

    private void acceptKeyRequestDomain() {
        completeKeyRequest(decodeString(keyWord + " domain"));
    }

    private void completeKeyRequest(String domain) {
        if (defect == null) {
            try {
                Command.KeyRequest.validate(user, domain);
            } catch (InvalidAddressException e) {
                noteDefect(e);
            }
        }
        complete(defect != null ? defect
                : keyWord.equals("KEYBIND") ? new Command.KeyBind(user, domain) : new Command.KeyRequest(user, domain));
    }

    private void acceptLoginUser() {
        String login = decodeString("LOGIN user");
        if (defect == null) {
            try {
                Command.Login.validate(login);
            } catch (InvalidAddressException e) {
                noteDefect(e);
            }
        }
        complete(defect == null ? new Command.Login(login) : defect);
    }

    /** @return the collected string, or null after noting it is not UTF-8 */
    private String decodeString(String field) {
        try {
            return string.decode(field);
        } catch (InvalidUtf8Exception e) {
            noteDefect(e);
            return null;
        }
    }

    private void acceptMailMessage() {
        try {
            mailMessage = mail.message();
        } catch (ProtocolException recoverable) {
            noteDefect(recoverable);
        }
        mail = null;
        proofOfWork.clear();
        stage = Stage.MAIL_PROOF_OF_WORK;
    }

    private void acceptProofOfWork() {
        complete(defect == null
                ? new Command.Mail(mailMessage, proofOfWork.copy())
                : defect);
    }

    private void noteDefect(ProtocolException problem) {
        if (defect == null) {
            defect = problem;
        }
    }

    /** Queues a command or error and gets ready for the next command word. */
    private void complete(Object commandOrError) {
        emit(commandOrError);
        stage = Stage.WORD;
        wordLength = 0;
        user = null;
        mailMessage = null;
        defect = null;
    }

    @Override
    void breakDown() {
        super.breakDown();
        mail = null;
        mailMessage = null;
    }

    private String currentField() {
        if (isBroken()) {
            return "nothing (decoder broken)";
        }
        return switch (stage) {
            case WORD, SKIPPING_WORD -> "command word";
            case KEYREQUEST_USER -> keyWord + " user";
            case KEYREQUEST_DOMAIN -> keyWord + " domain";
            case LOGIN_USER -> "LOGIN user";
            case MAIL_MESSAGE -> "MAIL " + mail.currentField();
            case MAIL_PROOF_OF_WORK -> "MAIL proof of work";
        };
    }

    /** The word as received, bytes outside printable ASCII escaped, for error messages. */
    private String printableWord() {
        return WireString.printable(word, wordLength);
    }
}
