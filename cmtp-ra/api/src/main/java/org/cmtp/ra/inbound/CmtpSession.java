package org.cmtp.ra.inbound;

import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.work.Work;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.client.ProofOfWork;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.CommandDecoder;
import org.cmtp.protocol.KeyBinding;
import org.cmtp.protocol.ProtocolException;
import org.cmtp.protocol.ProtocolLimits;
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
 * <p>Time limits: the socket read timeout is the idle timeout while no command is in
 * progress, and never more than what is left of the message timeout while a MAIL is
 * arriving, so a client trickling bytes is cut off at the message timeout. A client that
 * vanishes mid-message leaves nothing behind: the message only reaches the endpoint once
 * it is complete.
 */
final class CmtpSession implements Work {

    private static final Logger LOG = Logger.getLogger(CmtpSession.class.getName());
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final byte[] NO_CONTEXT = new byte[0];

    private final Socket socket;
    private final CmtpActivationSpec spec;
    private final EndpointInvoker endpoint;
    private final MessageMemory messageMemory;
    private final Consumer<DeliveredMail> localDeliveries;
    private final Consumer<CmtpSession> onEnd;
    private final CommandDecoder decoder;
    private final ClientInfo client;
    private OutputStream out;
    private long mailStartedNanos = -1;
    /** Bytes read since the MAIL in progress began, and the room reserved for them in {@link MessageMemory}. */
    private long mailBytes;
    private long reservedBytes;
    private volatile boolean open = true;

    CmtpSession(Socket socket, CmtpActivationSpec spec, EndpointInvoker endpoint, MessageMemory messageMemory,
                Consumer<DeliveredMail> localDeliveries, Consumer<CmtpSession> onEnd) {
        this.socket = socket;
        this.spec = spec;
        this.endpoint = endpoint;
        this.messageMemory = messageMemory;
        this.localDeliveries = localDeliveries;
        this.onEnd = onEnd;
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
            out = new BufferedOutputStream(s.getOutputStream(), 8192);
            reply(new TextReply(spec.effectiveBanner() + "\n"));
            out.flush();
            serve(s.getInputStream());
        } catch (SocketTimeoutException e) {
            LOG.fine(() -> "CMTP " + client.remoteHost() + " timed out" + (decoder.inMail() ? " inside a MAIL" : ""));
        } catch (SocketException e) {
            LOG.log(Level.FINE, "CMTP connection from " + client.remoteHost() + " ended", e);
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
            reply(ask(listener -> listener.keyRequest(keyRequest, client)));
        } else if (command instanceof Command.KeyBind keyBind) {
            reply(ask(listener -> listener.keyBind(keyBind, client)));
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

    /** Answers a protocol error with a signed FAILURE; false when the session must end. */
    private boolean refuse(ProtocolException e) throws IOException {
        LOG.fine(() -> "CMTP " + client.remoteHost() + ": " + e.getMessage());
        reply(ask(listener -> listener.status(StatusWord.FAILURE, NO_CONTEXT)));
        if (!e.isRecoverable()) {
            out.flush();
            LOG.info(() -> "CMTP closing " + client.remoteHost() + ": " + e.getMessage());
            return false;
        }
        if (decoder.consecutiveErrors() >= spec.effectiveMaxBadCommands()) {
            out.flush();
            LOG.info(() -> "CMTP closing " + client.remoteHost() + " after " + decoder.consecutiveErrors()
                    + " bad commands in a row");
            return false;
        }
        return true;
    }

    private <T> T ask(Function<CmtpRequestListener, T> request) throws IOException {
        try {
            return endpoint.call(request);
        } catch (UnavailableException e) {
            throw new IOException("the CMTP endpoint is not available (undeploying?)", e);
        }
    }

    private void reply(Reply reply) throws IOException {
        out.write(ReplyEncoder.encode(reply));
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

    private int readTimeoutMillis() throws SocketTimeoutException {
        long idle = spec.effectiveIdleTimeoutSeconds() * 1000L;
        if (mailStartedNanos < 0) {
            return (int) idle;
        }
        long left = millisLeftForMessage();
        if (left <= 0) {
            throw new SocketTimeoutException("message timeout");
        }
        return (int) Math.max(1, Math.min(idle, left));
    }

    /** What is left of the message timeout for the MAIL in progress. */
    private long millisLeftForMessage() {
        long started = mailStartedNanos < 0 ? System.nanoTime() : mailStartedNanos;
        return spec.effectiveMessageTimeoutSeconds() * 1000L - (System.nanoTime() - started) / 1_000_000L;
    }

    /** Closes the connection from outside: undeployment or adapter stop. */
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
