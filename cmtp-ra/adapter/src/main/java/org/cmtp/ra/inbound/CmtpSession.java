package org.cmtp.ra.inbound;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.work.Work;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.protocol.ProofOfWork;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.CommandDecoder;
import org.cmtp.protocol.KeyBinding;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyEncoder;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.protocol.TextReply;
import org.cmtp.ra.api.ClientInfo;
import org.cmtp.ra.api.CmtpRequestListener;
import org.cmtp.ra.api.DeliveredMail;
import org.cmtp.ra.api.MailOutcome;

/**
 * One CMTP connection, served on a container thread: reads the client's stream, lets the
 * {@link CommandDecoder} cut it into commands, answers what the adapter can answer itself
 * (greetings, errors) and asks the endpoint for the rest.
 *
 * <p>Time limits: outside a MAIL, the connection is closed once it has gone the idle
 * timeout without completing a command; bytes that complete nothing (a lone {@code \0},
 * PROTOCOL.md §1.4, or a command trickled in pieces) do not keep it open. While a MAIL is
 * arriving, it is closed when no byte came for the mail stall timeout (its mail memory is
 * then given back at once, not at the end of the message timeout), and at the latest at
 * the message timeout, so a client trickling bytes is cut off too. A client that vanishes
 * mid-message leaves nothing behind: the message only reaches the endpoint once it is
 * complete. Writing is limited by the listener's watchdog ({@link ReplyWriter}).
 *
 * <p>Bad commands are counted over the connection's whole life: a valid command between
 * them does not reset the count ({@code cmtp.max-bad-commands}).
 */
final class CmtpSession implements Work {

    private static final Logger LOG = Logger.getLogger(CmtpSession.class.getName());
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final byte[] NO_CONTEXT = new byte[0];
    /**
     * The kernel's send buffer of a connection: replies are small (under 300 bytes), so this
     * costs no speed, and it bounds the kernel memory a client that never reads can fill.
     */
    static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final Socket socket;
    private final CmtpPortActivationSpec spec;
    private final EndpointInvoker endpoint;
    private final MessageMemory messageMemory;
    private final Consumer<DeliveredMail> localDeliveries;
    private final Consumer<CmtpSession> onEnd;
    private final ConstantReplies constantReplies;
    private final CommandDecoder decoder;
    private final ClientInfo client;
    /** Written by the session's thread once, read by the watchdog's. */
    private volatile ReplyWriter out;
    private long mailStartedNanos = -1;
    /** When the last command (or bad command) was answered: the idle timeout counts from here. */
    private long lastCommandNanos = System.nanoTime();
    /** Bad commands over the connection's life (cmtp.max-bad-commands). */
    private int badCommands;
    /** What the current socket read timeout stands for, to log the right cause. */
    private Deadline readDeadline = Deadline.IDLE;
    /** Bytes read since the MAIL in progress began, and the room reserved for them in {@link MessageMemory}. */
    private long mailBytes;
    private long reservedBytes;
    private volatile boolean open = true;
    /** Set by the watchdog when it closed the connection, so the session does not log the close again. */
    private volatile boolean closedByWatchdog;

    /** What a socket read timeout means. */
    private enum Deadline { IDLE, MAIL_STALL, MESSAGE }

    CmtpSession(Socket socket, CmtpPortActivationSpec spec, EndpointInvoker endpoint, MessageMemory messageMemory,
                ConstantReplies constantReplies, Consumer<DeliveredMail> localDeliveries, Consumer<CmtpSession> onEnd) {
        this.socket = socket;
        this.spec = spec;
        this.endpoint = endpoint;
        this.messageMemory = messageMemory;
        this.localDeliveries = localDeliveries;
        this.onEnd = onEnd;
        this.constantReplies = constantReplies;
        this.decoder = new CommandDecoder(ProtocolLimits.DEFAULTS
                .withMaxMessageBytes(spec.effectiveMaxMessageSize())
                .withMaxAttachments(spec.effectiveMaxAttachments()));
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.client = new ClientInfo(remote.getAddress(), remote.getPort(), local.getAddress(), local.getPort());
    }

    @Override
    public void run() {
        try (Socket s = socket) {
            s.setTcpNoDelay(true);
            s.setSendBufferSize(SEND_BUFFER_BYTES);
            out = new ReplyWriter(s.getOutputStream());
            reply(new TextReply(spec.effectiveBanner() + "\n"));
            out.flush();
            lastCommandNanos = System.nanoTime();
            serve(s.getInputStream());
        } catch (SocketTimeoutException e) {
            logTimeout();
        } catch (SocketException e) {
            if (!closedByWatchdog) {
                LOG.log(Level.FINE, "CMTP connection from " + client.remoteHost() + " ended", e);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP connection from " + client.remoteHost() + " failed", e);
        } finally {
            open = false;
            releaseMessageMemory();
            onEnd.accept(this);
        }
    }

    private void serve(InputStream in) throws IOException {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        while (open) {
            if (decoder.inMail() && !reserveRoomForNextRead()) {
                return;
            }
            socket.setSoTimeout(readTimeoutMillis());
            int read = in.read(buffer);
            if (read < 0) {
                return; // the client closed; a MAIL cut short is simply dropped
            }
            decoder.feed(buffer, 0, read);
            if (!answerCompleteCommands()) {
                return;
            }
            out.flush();
            if (decoder.inMail()) {
                mailBytes += read;
            } else {
                releaseMessageMemory();
            }
        }
    }

    /**
     * Makes sure the MAIL in progress has room in {@link MessageMemory} for what it holds
     * and one more read, waiting (while TCP holds the sender back) at most until its message
     * timeout; false, after logging why, if the room did not come free by then.
     */
    private boolean reserveRoomForNextRead() {
        long wanted = MessageMemory.roundUp(mailBytes + READ_BUFFER_BYTES);
        if (wanted <= reservedBytes) {
            return true;
        }
        MessageMemory.Outcome outcome;
        try {
            long began = mailStartedNanos < 0 ? System.nanoTime() : mailStartedNanos;
            outcome = messageMemory.reserve(this, began, wanted - reservedBytes, millisLeftForMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (outcome == MessageMemory.Outcome.RESERVED) {
            reservedBytes = wanted;
            return true;
        }
        String why = outcome == MessageMemory.Outcome.GAVE_WAY
                ? "its message gave way to older ones: every message in progress was waiting for more memory"
                : "its message did not get memory within the message timeout";
        LOG.warning(() -> "CMTP closing " + client.remoteHost() + ": " + why + "; cmtp.mail-memory ("
                + (messageMemory.capacityBytes() >> 20) + " MiB) is held by other messages in progress");
        return false;
    }

    private void releaseMessageMemory() {
        if (reservedBytes > 0) {
            messageMemory.release(this);
        }
        reservedBytes = 0;
        mailBytes = 0;
    }

    private void logTimeout() {
        switch (readDeadline) {
            case IDLE -> LOG.fine(() -> "CMTP " + client.remoteHost() + " completed no command within the idle timeout"
                    + " (cmtp.idle-timeout, " + spec.effectiveIdleTimeoutSeconds() + " s)");
            case MAIL_STALL -> LOG.info(() -> "CMTP closing " + client.remoteHost() + ": its MAIL sent nothing for "
                    + spec.effectiveMailStallTimeoutSeconds() + " s (cmtp.mail-stall-timeout); its "
                    + (reservedBytes >> 10) + " KiB of mail memory are given back");
            case MESSAGE -> LOG.fine(() -> "CMTP " + client.remoteHost() + " timed out inside a MAIL (cmtp.message-timeout)");
        }
    }

    /** Answers every command the decoder has completed; false when the session must end. */
    private boolean answerCompleteCommands() throws IOException {
        while (true) {
            Optional<Command> command;
            try {
                command = decoder.next();
            } catch (ProtocolException e) {
                if (!refuse(e)) {
                    return false;
                }
                lastCommandNanos = System.nanoTime();
                continue;
            }
            if (command.isEmpty()) {
                trackMailStart();
                return true;
            }
            mailStartedNanos = -1;
            if (!answer(command.get())) {
                return false;
            }
            lastCommandNanos = System.nanoTime(); // answered: the idle timeout counts from here
        }
    }

    private boolean answer(Command command) throws IOException {
        if (command instanceof Command.Ohai) {
            reply(new TextReply("HAI!!! :3\nSIZE " + spec.effectiveMaxMessageSize() + "\nPOW "
                    + spec.effectiveProofOfWorkDifficulty() + "\n" + KeyBinding.CAPABILITY + "\n"));
        } else if (command instanceof Command.Noop) {
            reply(new TextReply("O_O\n"));
        } else if (command instanceof Command.Help) {
            reply(new TextReply(HELP));
        } else if (command instanceof Command.Obai) {
            reply(new TextReply("Good bye\n"));
            out.flush();
            return false;
        } else if (command instanceof Command.KeyRequest keyRequest) {
            reply(ask(keyRequest, listener -> listener.keyRequest(keyRequest, client)));
        } else if (command instanceof Command.KeyBind keyBind) {
            reply(ask(keyBind, listener -> listener.keyBind(keyBind, client)));
        } else if (command instanceof Command.Login login) {
            reply(ask(listener -> listener.login(login, client)));
        } else if (command instanceof Command.Mail mail) {
            reply(mail(mail));
            releaseMessageMemory(); // answered: its bytes are no longer held here
        }
        return true;
    }

    private Reply mail(Command.Mail mail) throws IOException {
        int difficulty = spec.effectiveProofOfWorkDifficulty();
        if (difficulty > 0 && !ProofOfWork.satisfies(mail.rawMessage(), mail.proofOfWork(), difficulty)) {
            return ask(listener -> listener.status(StatusWord.DELIVERYFAILURE, mail.message().hash512()));
        }
        MailOutcome outcome = ask(listener -> listener.mail(mail, client));
        outcome.localDelivery().ifPresent(this::announce);
        return outcome.status();
    }

    /**
     * Tells the applications' listeners of a message the endpoint committed to a local
     * mailbox. Only queues it (MailSubscriptions): the reply to the client never waits for an
     * application, and nothing an application does can break this session.
     */
    private void announce(DeliveredMail delivered) {
        try {
            localDeliveries.accept(delivered);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "CMTP could not hand message " + delivered.mailboxId() + " for account '"
                    + delivered.account() + "' to the applications' listeners", e);
        }
    }

    /**
     * Answers a protocol error with a signed FAILURE; false when the session must end. The
     * first refusal of a connection is logged at INFO, the others at FINE: a client sending
     * garbage cannot fill the log.
     */
    private boolean refuse(ProtocolException e) throws IOException {
        badCommands++;
        reply(ask(ConstantReplies.REFUSAL, listener -> listener.status(StatusWord.FAILURE, NO_CONTEXT)));
        if (!e.isRecoverable()) {
            out.flush();
            LOG.info(() -> "CMTP closing " + client.remoteHost() + ": " + e.getMessage());
            return false;
        }
        Level level = badCommands == 1 ? Level.INFO : Level.FINE;
        LOG.log(level, () -> "CMTP refused a command from " + client.remoteHost() + ": " + e.getMessage()
                + (badCommands == 1 ? " (further refusals on this connection are logged at FINE)" : ""));
        if (badCommands >= spec.effectiveMaxBadCommands()) {
            out.flush();
            LOG.info(() -> "CMTP closing " + client.remoteHost() + " after " + badCommands
                    + " bad commands (cmtp.max-bad-commands)");
            return false;
        }
        return true;
    }

    /** As {@link #ask(Function)}, sending the kept reply instead when {@code request}'s is the same for everybody. */
    private Reply ask(Object request, Function<CmtpRequestListener, Reply> call) throws IOException {
        return constantReplies.reply(request, () -> ask(call));
    }

    private <T> T ask(Function<CmtpRequestListener, T> request) throws IOException {
        try {
            return endpoint.call(request);
        } catch (UnavailableException e) {
            throw new IOException("the CMTP endpoint is not available (undeploying?)", e);
        }
    }

    private void reply(Reply reply) throws IOException {
        out.send(ReplyEncoder.encode(reply));
    }

    private void trackMailStart() {
        if (decoder.inMail()) {
            if (mailStartedNanos < 0) {
                mailStartedNanos = System.nanoTime();
            }
        } else {
            mailStartedNanos = -1;
        }
    }

    /**
     * The read timeout for the next read, and what it stands for: outside a MAIL what is left
     * of the idle timeout since the last complete command; inside one the mail stall timeout,
     * cut short by what is left of the message timeout.
     */
    private int readTimeoutMillis() throws SocketTimeoutException {
        if (mailStartedNanos < 0) {
            readDeadline = Deadline.IDLE;
            long left = spec.effectiveIdleTimeoutSeconds() * 1000L - (System.nanoTime() - lastCommandNanos) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("idle timeout");
            }
            return (int) left;
        }
        long left = millisLeftForMessage();
        if (left <= 0) {
            readDeadline = Deadline.MESSAGE;
            throw new SocketTimeoutException("message timeout");
        }
        long stall = spec.effectiveMailStallTimeoutSeconds() * 1000L;
        readDeadline = stall < left ? Deadline.MAIL_STALL : Deadline.MESSAGE;
        return (int) Math.max(1, Math.min(stall, left));
    }

    /** What is left of the message timeout for the MAIL in progress. */
    private long millisLeftForMessage() {
        long started = mailStartedNanos < 0 ? System.nanoTime() : mailStartedNanos;
        return spec.effectiveMessageTimeoutSeconds() * 1000L - (System.nanoTime() - started) / 1_000_000L;
    }

    /** How long the session has been blocked writing replies at {@code nowNanos}; 0 when it is not writing. */
    long writingForNanos(long nowNanos) {
        ReplyWriter writer = out;
        return writer == null ? 0 : writer.writingForNanos(nowNanos);
    }

    /** Closes a connection whose client has not taken its replies within the write timeout (the listener's watchdog). */
    void closeStuckWrite() {
        if (closedByWatchdog) {
            return; // closed in an earlier round; the blocked write is still ending
        }
        closedByWatchdog = true;
        LOG.info(() -> "CMTP closing " + client.remoteHost() + ": it has not read its replies for "
                + spec.effectiveWriteTimeoutSeconds() + " s (cmtp.write-timeout)");
        abort();
    }

    /** Closes the connection from outside: undeployment, adapter stop, or the watchdog. */
    void abort() {
        open = false;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing a CMTP connection", e);
        }
    }

    @Override
    public void release() {
        abort();
    }

    /** Under 255 bytes, as every text reply (PROTOCOL.md §1): the reference client reads no more. */
    static final String HELP = """
            Commands (each ends in \\0):
            OHAI  greeting, capabilities
            NOOP  nothing
            HELP  this text
            KEYREQUEST user domain  a key
            KEYBIND user domain  a key bound to the address
            LOGIN user  signed xzibit
            MAIL message pow  signed receipt
            OBAI  good bye
            """;
}
