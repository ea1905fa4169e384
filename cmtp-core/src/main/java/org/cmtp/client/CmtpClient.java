package org.cmtp.client;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import org.cmtp.crypto.Blake2b;
import org.cmtp.crypto.CryptoException;
import org.cmtp.crypto.Signatures;
import org.cmtp.crypto.Xzibit;
import org.cmtp.message.MailAddress;
import org.cmtp.protocol.Command;
import org.cmtp.protocol.CommandEncoder;
import org.cmtp.protocol.KeyBinding;
import org.cmtp.protocol.KeyReply;
import org.cmtp.protocol.LoginReply;
import org.cmtp.wire.ProtocolException;
import org.cmtp.wire.ProtocolLimits;
import org.cmtp.protocol.Reply;
import org.cmtp.protocol.ReplyDecoder;
import org.cmtp.protocol.ReplyKind;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;
import org.cmtp.protocol.TextReply;

import org.cmtp.protocol.ProofOfWork;

/**
 * One TCP connection to a CMTP server, speaking PROTOCOL.md from the client's side: every
 * signed reply is checked against the key the caller trusts for that server before it is
 * returned.
 *
 * <pre>{@code
 * try (CmtpClient client = CmtpClient.connect(address, Duration.ofSeconds(5), Duration.ofSeconds(30))) {
 *     byte[] serverKey = client.serverKey();           // pin it, or compare with the pinned one
 *     Optional<byte[]> bob = client.keyRequest("bob", "example.org", serverKey);
 *     SignedStatus receipt = client.mail(rawMessage, ProofOfWork.none(), serverKey);
 *     client.quit();
 * }
 * }</pre>
 *
 * <p><b>Broken state.</b> Any I/O error, timeout, malformed reply or reply whose signature
 * does not verify marks the client broken ({@link #isBroken()}) and closes the socket:
 * a client that cannot tell which reply answers which command, or cannot authenticate its
 * server, is never used again; every later call throws {@link ClientBrokenException}.
 * Refusals the server signed ({@link CommandFailedException}, a {@code KEYNOTAVAILABLE})
 * and {@link MessageTooLargeException} leave it usable.
 *
 * <p><b>Address-bound keys</b> (PROTOCOL.md §4a). {@link #keyRequest} asks with {@code KEYBIND}
 * once the server advertised {@code KEYBIND 1} in its OHAI reply (sent first when it was not
 * yet) or the caller said the server must answer that way ({@link #requireKeyBind()}, for a
 * server known to speak it: OHAI is unsigned, so an attacker could strip the line). From
 * then on a version-1 key reply from this server is refused: its signature does not say
 * which address it answers, so it could be a reply for another address, replayed.
 *
 * <p>Calls are serialised (the methods are synchronized); one client is one conversation.
 */
public final class CmtpClient implements AutoCloseable {

    private static final int READ_BUFFER_BYTES = 8192;
    private static final byte[] NO_CONTEXT = new byte[0];

    private final String server;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReplyDecoder replies;
    private final Duration readTimeout;
    private final byte[] readBuffer = new byte[READ_BUFFER_BYTES];
    private final String banner;
    private ServerCapabilities capabilities;
    /** Key replies must be address-bound (KEYBIND): the server advertised it, or the caller knows it does. */
    private boolean keyBindRequired;
    private volatile boolean broken;
    private volatile boolean closed;
    /** A command is between its request and its reply (close() then does not wait for it). */
    private volatile boolean busy;

    private CmtpClient(String server, Socket socket, Duration readTimeout, ProtocolLimits limits) throws IOException {
        this.server = server;
        this.socket = socket;
        this.readTimeout = readTimeout;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.replies = new ReplyDecoder(limits);
        replies.expect(ReplyKind.TEXT);
        Reply greeting = readBanner();
        if (!(greeting instanceof TextReply text)) {
            throw fail(new MalformedServerReplyException(server, "banner", "the server greeted with " + greeting
                    + " instead of a text banner", null));
        }
        this.banner = stripNewline(text.text());
    }

    /**
     * Connects and reads the banner, with the default reply limits.
     *
     * @param connectTimeout how long to wait for the TCP connection
     * @param readTimeout how long to wait for each read of a reply (also the banner)
     * @throws ConnectionFailedException if the server cannot be reached or greets badly
     */
    public static CmtpClient connect(InetSocketAddress address, Duration connectTimeout, Duration readTimeout)
            throws CmtpClientException {
        return connect(address, connectTimeout, readTimeout, ProtocolLimits.DEFAULTS);
    }

    /** As {@link #connect(InetSocketAddress, Duration, Duration)}, with other reply limits. */
    public static CmtpClient connect(InetSocketAddress address, Duration connectTimeout, Duration readTimeout,
                                     ProtocolLimits limits) throws CmtpClientException {
        return connect(new Socket(), address, connectTimeout, readTimeout, limits);
    }

    /**
     * As {@link #connect(InetSocketAddress, Duration, Duration, ProtocolLimits)}, on an
     * unconnected socket the caller made. The caller may close that socket from another
     * thread at any time, e.g. at an overall deadline: a read timeout alone does not stop a
     * server that trickles its replies a byte at a time, nor one that never reads what is
     * written to it. Any call waiting on the socket then fails at once.
     */
    public static CmtpClient connect(Socket socket, InetSocketAddress address, Duration connectTimeout,
                                     Duration readTimeout, ProtocolLimits limits) throws CmtpClientException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(address, "address");
        String server = describe(address);
        if (address.isUnresolved()) {
            closeQuietly(socket);
            throw new ConnectionFailedException(server, "connect", "unknown host", null);
        }
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(millis(readTimeout));
            socket.connect(address, millis(connectTimeout));
            return new CmtpClient(server, socket, readTimeout, limits);
        } catch (CmtpClientException e) {
            closeQuietly(socket);
            throw e;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException(server, "connect", "timed out after " + connectTimeout.toMillis()
                    + " ms", e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException(server, "connect", describe(e), e);
        }
    }

    /** @return {@code host:port} of the server, as used in error messages */
    public String server() {
        return server;
    }

    /** @return the server's greeting, without its final newline */
    public String banner() {
        return banner;
    }

    /** @return true once an error made this client unusable (or it was closed) */
    public boolean isBroken() {
        return broken || closed;
    }

    /**
     * Asks for the server's own key and checks that it is signed by itself: with
     * {@code KEYREQUEST\0\0}, or {@code KEYBIND\0\0} once key replies must be address-bound.
     * The result is what a caller pins; a self-signature alone proves nothing about who the
     * server is, so compare it with the pinned key when there is one.
     *
     * @throws InvalidSignatureException if the self-signature does not verify
     * @throws CommandFailedException if the server answers with a status
     */
    public synchronized byte[] serverKey() throws CmtpClientException {
        if (keyBindRequired) {
            return boundServerKey();
        }
        String name = "KEYREQUEST (server key)";
        Reply reply = exchange(name, Command.KeyRequest.forServer());
        if (reply instanceof KeyReply key) {
            byte[] publicKey = key.publicKey();
            if (!verifies(publicKey, publicKey, key.signature())) {
                throw fail(new InvalidSignatureException(server, name, "the server key's self-signature does not verify"));
            }
            return publicKey;
        }
        SignedStatus status = (SignedStatus) reply;
        throw new CommandFailedException(server, name, status.word(), "the server answered " + status.word()
                + " instead of its key");
    }

    private byte[] boundServerKey() throws CmtpClientException {
        String name = "KEYBIND (server key)";
        Command.KeyBind request = Command.KeyBind.forServer();
        Reply reply = exchange(name, request);
        if (reply instanceof KeyReply key) {
            byte[] publicKey = key.publicKey();
            if (!verifies(publicKey, request.bytesToSign(publicKey), key.signature())) {
                throw fail(new InvalidSignatureException(server, name, "the server key's bound self-signature does not verify"));
            }
            return publicKey;
        }
        SignedStatus status = (SignedStatus) reply;
        throw new CommandFailedException(server, name, status.word(), "the server answered " + status.word()
                + " instead of its key (does it support KEYBIND?)");
    }

    /**
     * From now on, key requests on this connection use {@code KEYBIND} and version-1 key
     * replies are refused, whatever OHAI says: for a server known (remembered, or configured)
     * to answer with address-bound replies (PROTOCOL.md §4a).
     */
    public synchronized void requireKeyBind() {
        keyBindRequired = true;
    }

    /**
     * @return whether key requests use {@code KEYBIND}: required by the caller, or advertised
     *         by the server (OHAI is sent first if it was not yet). Callers remember a true
     *         answer for the server, and {@link #requireKeyBind()} it on later connections.
     */
    public synchronized boolean usesKeyBind() throws CmtpClientException {
        if (!keyBindRequired && capabilities().keyBind()) {
            keyBindRequired = true;
        }
        return keyBindRequired;
    }

    /**
     * Asks for the key of {@code account@domain} and checks the server's signature over it.
     * The home server relays keys of other domains, signed with its own key, so a client
     * only ever needs its own server's key. Uses {@code KEYBIND} when {@link #usesKeyBind()}
     * (OHAI is sent first if it was not yet), else {@code KEYREQUEST}.
     *
     * @param signerKey the key of this server, as pinned
     * @return the key, or empty when the server answers a correctly signed {@code KEYNOTAVAILABLE}
     * @throws InvalidSignatureException if the key or the status is not signed by {@code signerKey}
     *                                   (for KEYBIND: over this very question)
     * @throws MalformedServerReplyException if a server that must bind its replies sends a version-1 one
     * @throws CommandFailedException on a signed {@code FAILURE}
     */
    public synchronized Optional<byte[]> keyRequest(String account, String domain, byte[] signerKey)
            throws CmtpClientException {
        Objects.requireNonNull(signerKey, "signerKey");
        if (usesKeyBind()) {
            return keyBind(account, domain, signerKey);
        }
        Command.KeyRequest request = new Command.KeyRequest(account, domain);
        String name = "KEYREQUEST " + account + "@" + domain;
        Reply reply = exchange(name, request);
        if (reply instanceof KeyReply key) {
            byte[] publicKey = key.publicKey();
            if (!verifies(signerKey, publicKey, key.signature())) {
                throw fail(new InvalidSignatureException(server, name,
                        "the key's signature does not verify with the pinned server key"));
            }
            return Optional.of(publicKey);
        }
        SignedStatus status = (SignedStatus) reply;
        requireSignedStatus(name, status, NO_CONTEXT, signerKey);
        if (status.word() == StatusWord.KEYNOTAVAILABLE) {
            return Optional.empty();
        }
        throw new CommandFailedException(server, name, status.word(), "the server answered " + status.word());
    }

    /**
     * {@code KEYBIND} (PROTOCOL.md §4a): the key of {@code account@domain} with a signature
     * that covers the question, so a reply for any other address, replayed, is refused.
     *
     * @return the key, or empty on a {@code KEYNOTAVAILABLE} bound to this question
     * @throws InvalidSignatureException if the reply is not signed by {@code signerKey} over this question
     * @throws MalformedServerReplyException if the server answers with a version-1 (unbound) key reply
     * @throws CommandFailedException on a signed {@code FAILURE} (e.g. a server that does not know KEYBIND)
     */
    public synchronized Optional<byte[]> keyBind(String account, String domain, byte[] signerKey)
            throws CmtpClientException {
        Objects.requireNonNull(signerKey, "signerKey");
        Command.KeyBind request = new Command.KeyBind(account, domain);
        String name = "KEYBIND " + account + "@" + domain;
        Reply reply = exchange(name, request);
        if (reply instanceof KeyReply key) {
            byte[] publicKey = key.publicKey();
            if (!verifies(signerKey, request.bytesToSign(publicKey), key.signature())) {
                throw fail(new InvalidSignatureException(server, name,
                        "the key's signature does not verify with the pinned server key for this address"
                                + " (a reply for another address?)"));
            }
            return Optional.of(publicKey);
        }
        SignedStatus status = (SignedStatus) reply;
        if (status.word() == StatusWord.FAILURE) {
            // A server that does not know KEYBIND answers it as an unknown command (§1.5).
            requireSignedStatus(name, status, NO_CONTEXT, signerKey);
            throw new CommandFailedException(server, name, status.word(),
                    "the server answered FAILURE (does it support KEYBIND?)");
        }
        requireSignedStatus(name, status, KeyBinding.context(account, domain), signerKey);
        if (status.word() == StatusWord.KEYNOTAVAILABLE) {
            return Optional.empty();
        }
        throw new CommandFailedException(server, name, status.word(), "the server answered " + status.word());
    }

    /** As {@link #keyRequest(String, String, byte[])} for an address. */
    public Optional<byte[]> keyRequest(MailAddress address, byte[] signerKey) throws CmtpClientException {
        return keyRequest(address.account(), address.domain(), signerKey);
    }

    /**
     * Fetches the xzibit of {@code account} (LOGIN) and checks the server's signature over
     * it. Open it with the password: {@code client.login(account, key).open(password)}.
     *
     * @throws NoSuchAccountException on a signed {@code FAILURE}
     * @throws InvalidSignatureException if the xzibit or the status is not signed by {@code serverKey}
     * @throws CmtpClientException if the xzibit has a version or form this client cannot read
     */
    public synchronized Xzibit login(String account, byte[] serverKey) throws CmtpClientException {
        Objects.requireNonNull(serverKey, "serverKey");
        String name = "LOGIN " + account;
        Reply reply = exchange(name, new Command.Login(account));
        if (reply instanceof LoginReply login) {
            byte[] xzibit = login.xzibit();
            if (!verifies(serverKey, xzibit, login.signature())) {
                throw fail(new InvalidSignatureException(server, name,
                        "the xzibit's signature does not verify with the pinned server key"));
            }
            try {
                return Xzibit.parse(xzibit);
            } catch (CryptoException e) {
                throw new CmtpClientException(server, name, e.getMessage(), e);
            }
        }
        SignedStatus status = (SignedStatus) reply;
        requireSignedStatus(name, status, NO_CONTEXT, serverKey);
        if (status.word() == StatusWord.FAILURE) {
            throw new NoSuchAccountException(server, account);
        }
        throw new CommandFailedException(server, name, status.word(), "the server answered " + status.word());
    }

    /**
     * Sends {@code MAIL\0}, then exactly {@code rawMessage} and {@code proofOfWork}, and
     * checks the signed status: the server's signature over
     * {@code WORD ‖ \0 ‖ BLAKE2b-512(rawMessage)}. The message is not parsed or re-encoded,
     * so stored bytes are forwarded byte for byte.
     *
     * <p>A {@code FAILURE} is also accepted when signed with an empty context: a server that
     * cannot parse a message answers before it has the whole message, and so without its
     * hash. {@code SUCCESS} and {@code DELIVERYFAILURE} must carry the hash.
     *
     * @return the verified status: {@code SUCCESS} (a receipt), {@code DELIVERYFAILURE} or {@code FAILURE}
     * @throws ReceiptInvalidException if the status is not signed by {@code serverKey} over this message
     * @throws MessageTooLargeException if OHAI advertised a smaller {@code SIZE}; nothing was sent
     */
    public SignedStatus mail(byte[] rawMessage, byte[] proofOfWork, byte[] serverKey) throws CmtpClientException {
        Objects.requireNonNull(rawMessage, "rawMessage");
        return mail(rawMessage, Blake2b.hash512(rawMessage), proofOfWork, serverKey);
    }

    /**
     * As {@link #mail(byte[], byte[], byte[])}, for a sender that sends the same bytes more
     * than once and has hashed them already: {@code rawMessageHash} must be BLAKE2b-512 of
     * {@code rawMessage} (a wrong one makes every receipt fail its check, never pass it).
     */
    public synchronized SignedStatus mail(byte[] rawMessage, byte[] rawMessageHash, byte[] proofOfWork,
                                          byte[] serverKey) throws CmtpClientException {
        Objects.requireNonNull(rawMessage, "rawMessage");
        if (rawMessageHash.length != Blake2b.MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("the message hash is BLAKE2b-512, 64 bytes, not " + rawMessageHash.length);
        }
        Objects.requireNonNull(serverKey, "serverKey");
        if (proofOfWork.length != ProofOfWork.BYTES) {
            throw new IllegalArgumentException("the proof-of-work field is 64 bytes, not " + proofOfWork.length);
        }
        String name = "MAIL";
        requireUsable(name);
        if (capabilities != null && capabilities.maxMessageSize().isPresent()
                && rawMessage.length > capabilities.maxMessageSize().getAsLong()) {
            throw new MessageTooLargeException(server, rawMessage.length, capabilities.maxMessageSize().getAsLong());
        }
        replies.expect(ReplyKind.STATUS);
        busy = true;
        try {
            return mail(name, rawMessage, proofOfWork, serverKey, rawMessageHash.clone());
        } finally {
            busy = false;
        }
    }

    private SignedStatus mail(String name, byte[] rawMessage, byte[] proofOfWork, byte[] serverKey, byte[] hash)
            throws CmtpClientException {
        IOException writeFailure = null;
        try {
            out.write("MAIL\0".getBytes(StandardCharsets.US_ASCII));
            out.write(rawMessage);
            out.write(proofOfWork);
            out.flush();
        } catch (IOException e) {
            // The server may have refused early and closed; its reply may still be readable.
            writeFailure = e;
        }
        Reply reply;
        try {
            reply = readReply(name);
        } catch (CmtpClientException e) {
            if (writeFailure != null) {
                e.addSuppressed(writeFailure);
            }
            throw e;
        }
        if (!(reply instanceof SignedStatus status)) {
            throw fail(new MalformedServerReplyException(server, name, "expected a signed status, got " + reply, null));
        }
        boolean valid = verifies(serverKey, SignedStatus.bytesToSign(status.word(), hash), status.signature())
                || (status.word() == StatusWord.FAILURE
                        && verifies(serverKey, SignedStatus.bytesToSign(status.word(), NO_CONTEXT), status.signature()));
        if (!valid) {
            throw fail(new ReceiptInvalidException(server, name, "the " + status.word()
                    + " signature does not verify with the pinned server key over this message's hash"));
        }
        if (writeFailure != null) {
            fail(new ConnectionFailedException(server, name, "the server closed while the message was sent",
                    writeFailure));
        }
        return status;
    }

    /**
     * OHAI: the greeting and the server's capability lines, remembered for
     * {@link #capabilities()} ({@code SIZE} is then checked before MAIL).
     *
     * @return the lines of the reply, without newlines
     */
    public synchronized List<String> ohai() throws CmtpClientException {
        TextReply reply = text("OHAI", new Command.Ohai());
        capabilities = ServerCapabilities.parse(reply.lines());
        keyBindRequired |= capabilities.keyBind(); // once seen on this connection, never given up
        return capabilities.lines();
    }

    /** @return the capabilities from OHAI, sending OHAI first if it was not sent yet */
    public synchronized ServerCapabilities capabilities() throws CmtpClientException {
        if (capabilities == null) {
            ohai();
        }
        return capabilities;
    }

    /** @return the {@code SIZE} the server advertised, once OHAI was sent */
    public synchronized OptionalLong maxMessageSize() {
        return capabilities == null ? OptionalLong.empty() : capabilities.maxMessageSize();
    }

    /** @return the {@code POW} difficulty the server advertised; 0 before OHAI or when absent */
    public synchronized int proofOfWorkDifficulty() {
        return capabilities == null ? 0 : capabilities.proofOfWorkDifficulty();
    }

    /** NOOP: checks that the server still answers. */
    public synchronized void noop() throws CmtpClientException {
        text("NOOP", new Command.Noop());
    }

    /** OBAI: says good bye, waits for the answer, and closes. The client is unusable afterwards. */
    public synchronized void quit() throws CmtpClientException {
        try {
            text("OBAI", new Command.Obai());
        } finally {
            closeSocket();
        }
    }

    /**
     * Closes the connection. A healthy client says OBAI first, without waiting for the
     * answer; a broken one just closes. Never throws.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!broken && !busy) {
            try {
                synchronized (this) {
                    out.write(CommandEncoder.encode(new Command.Obai()));
                    out.flush();
                }
            } catch (IOException e) {
                // closing anyway
            }
        }
        closeSocket(); // a call still waiting for its reply fails at once
    }

    @Override
    public String toString() {
        return "CmtpClient[" + server + (broken ? ", broken" : closed ? ", closed" : "") + "]";
    }

    private TextReply text(String name, Command command) throws CmtpClientException {
        Reply reply = exchange(name, command);
        if (reply instanceof TextReply text) {
            return text;
        }
        SignedStatus status = (SignedStatus) reply;
        throw new CommandFailedException(server, name, status.word(), "the server answered " + status.word());
    }

    private Reply exchange(String name, Command command) throws CmtpClientException {
        requireUsable(name);
        replies.expectReplyTo(command);
        busy = true;
        try {
            out.write(CommandEncoder.encode(command));
            out.flush();
            return readReply(name);
        } catch (CmtpClientException e) {
            throw e;
        } catch (IOException e) {
            throw fail(new ConnectionFailedException(server, name, describe(e), e));
        } finally {
            busy = false;
        }
    }

    /**
     * Reads the banner, and tells an SMTP server from a CMTP one: a CMTP banner ends in
     * {@code \0}, which an SMTP greeting never holds, so without this the client would wait
     * for the rest of it until the read timeout. An SMTP greeting is a three-digit reply
     * code, a space or hyphen, text, and CRLF (RFC 5321 4.2).
     */
    private Reply readBanner() throws CmtpClientException {
        ByteArrayOutputStream firstBytes = new ByteArrayOutputStream();
        return readReply("banner", (bytes, length) -> {
            if (firstBytes.size() >= 512) {
                return;
            }
            firstBytes.write(bytes, 0, length);
            String start = new String(firstBytes.toByteArray(), StandardCharsets.ISO_8859_1);
            int lineEnd = start.indexOf("\r\n");
            if (lineEnd > 0 && start.indexOf('\0') < 0 && SMTP_GREETING.matcher(start.substring(0, lineEnd)).matches()) {
                throw fail(new NotCmtpServerException(server, printable(start.substring(0, lineEnd))));
            }
        });
    }

    /** Looks at the bytes of a reply as they arrive, before the decoder does. */
    @FunctionalInterface
    private interface ArrivingBytes {
        void check(byte[] bytes, int length) throws CmtpClientException;
    }

    private static final Pattern SMTP_GREETING = Pattern.compile("[2-5][0-9][0-9]([ -].*)?");

    /** A peer's text for an error message: at most 100 characters, control characters as '?'. */
    private static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Reads until the decoder has one whole reply. */
    private Reply readReply(String name) throws CmtpClientException {
        return readReply(name, (bytes, length) -> { });
    }

    private Reply readReply(String name, ArrivingBytes arriving) throws CmtpClientException {
        try {
            while (true) {
                Optional<Reply> reply = replies.next();
                if (reply.isPresent()) {
                    return reply.get();
                }
                int read = in.read(readBuffer);
                if (read < 0) {
                    throw fail(new ConnectionFailedException(server, name, replies.isIdle()
                            ? "the server closed the connection" : "the server closed the connection inside a reply",
                            null));
                }
                arriving.check(readBuffer, read);
                replies.feed(readBuffer, 0, read);
            }
        } catch (CmtpClientException e) {
            throw e;
        } catch (ProtocolException e) {
            throw fail(new MalformedServerReplyException(server, name, e.getMessage(), e));
        } catch (SocketTimeoutException e) {
            throw fail(new ConnectionFailedException(server, name, "no reply within " + readTimeout.toMillis() + " ms", e));
        } catch (IOException e) {
            throw fail(new ConnectionFailedException(server, name, describe(e), e));
        }
    }

    private void requireSignedStatus(String name, SignedStatus status, byte[] context, byte[] key)
            throws CmtpClientException {
        if (!verifies(key, SignedStatus.bytesToSign(status.word(), context), status.signature())) {
            throw fail(new InvalidSignatureException(server, name, "the " + status.word()
                    + " status's signature does not verify with the pinned server key"));
        }
    }

    private static boolean verifies(byte[] key, byte[] message, byte[] signature) {
        try {
            return Signatures.verify(key, message, signature);
        } catch (CryptoException | IllegalArgumentException e) {
            return false; // e.g. a pinned key of the wrong length
        }
    }

    private void requireUsable(String name) throws ClientBrokenException {
        if (broken) {
            throw new ClientBrokenException(server, name, "the connection broke earlier and cannot be used again");
        }
        if (closed) {
            throw new ClientBrokenException(server, name, "the connection is closed");
        }
    }

    /** Marks the client broken, closes the socket and hands back the exception to throw. */
    private <E extends CmtpClientException> E fail(E error) {
        broken = true;
        closeSocket();
        return error;
    }

    private void closeSocket() {
        closed = true;
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private static String stripNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static int millis(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis <= 0 || millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a timeout must be between 1 ms and " + Integer.MAX_VALUE + " ms, not " + timeout);
        }
        return (int) millis;
    }
}
