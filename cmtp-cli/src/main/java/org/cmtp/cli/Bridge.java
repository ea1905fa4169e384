package org.cmtp.cli;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.cmtp.message.MailAddress;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * {@code cmtp bridge}: signs in as one account (proof of key, the key stays here) and serves
 * IMAP and SMTP submission on loopback for ordinary mail programs (README "Mail programs
 * (bridge)", ADR 0027). Runs until stopped (Ctrl-C), then revokes its session.
 */
final class Bridge implements AutoCloseable {

    private final UserCommands.SignedIn session;
    private final BridgeMailbox mailbox;
    private final BridgeGate gate;
    private final ServerSocket imap;
    private final SMTPServer smtp;
    private final ExecutorService sessions = Executors.newCachedThreadPool(BridgeMailbox.daemon("cmtp-bridge-imap"));
    private final PrintStream log;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Bridge(UserCommands.SignedIn session, Path configDirectory, InetAddress bind, int imapPort, int smtpPort,
                   String password, PrintStream log) throws IOException, FailureException {
        this.session = session;
        this.log = log;
        this.gate = new BridgeGate(session.address(), password);
        JsonObject limits = session.api().limits();
        long maxMessageSize = limits.getJsonNumber("maxMessageSize").longValue();
        int maxAttachments = limits.getInt("maxAttachments", 1000);
        this.mailbox = new BridgeMailbox(session, configDirectory, log);
        mailbox.sync(0);
        mailbox.openAhead();
        BridgeSubmission submission = new BridgeSubmission(session, mailbox, maxMessageSize, maxAttachments, log);
        this.imap = new ServerSocket();
        imap.setReuseAddress(true);
        imap.bind(new InetSocketAddress(bind, imapPort), 50);
        Thread acceptor = new Thread(() -> accept(submission.maxDataBytes()), "cmtp-bridge-imap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        this.smtp = SMTPServer.port(smtpPort).bindAddress(bind).hostName("cmtp-bridge")
                .softwareName("cmtp bridge").messageHandlerFactory(submission)
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, given, context) -> {
                    if (gate.check(user, given) != BridgeGate.Result.OK) {
                        throw new LoginFailedException("wrong user name or bridge password");
                    }
                })).requireAuth(true).maxRecipients(1000).connectionTimeout(300, java.util.concurrent.TimeUnit.SECONDS)
                .build();
        smtp.start();
        mailbox.startWatching();
    }

    private void accept(long maxLiteral) {
        while (!imap.isClosed()) {
            try {
                Socket socket = imap.accept();
                sessions.execute(new ImapSession(socket, mailbox, gate, maxLiteral, log));
            } catch (IOException e) {
                if (!imap.isClosed()) {
                    log.println("cmtp bridge: IMAP accept failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * The warning for an address that is not loopback (null for loopback): the bridge then
     * serves decrypted mail over plain IMAP and SMTP to whoever reaches that address and
     * guesses the bridge password. Only {@code --bind} does that; the default is 127.0.0.1.
     */
    static String exposure(InetAddress bind) {
        if (bind.isLoopbackAddress()) {
            return null;
        }
        String where = bind.isAnyLocalAddress() ? "EVERY address of this machine (" + bind.getHostAddress() + ")"
                : bind.getHostAddress();
        return "cmtp bridge: WARNING: listening on " + where + ", which is NOT loopback: others who reach it can"
                + " try the bridge password and read your decrypted mail over unencrypted IMAP and SMTP";
    }

    /** Runs the bridge until Ctrl-C. */
    static int run(UserCommands users, URI api, MailAddress address, Path keysFile, Path configDirectory,
                   String bindText, int imapPort, int smtpPort, PrintStream out, PrintStream err)
            throws UsageException, IOException, FailureException, InterruptedException {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(bindText);
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--bind " + bindText + ": not an address");
        }
        String exposure = exposure(bind);
        if (exposure != null) {
            for (int i = 0; i < 3; i++) {
                err.println(exposure);
            }
        }
        BridgeMime.nameStreamProvider();
        UserCommands.SignedIn session = users.signInSession(api, address, keysFile);
        String password = BridgeMailbox.randomPassword();
        Bridge bridge = new Bridge(session, configDirectory, bind, imapPort, smtpPort, password, err);
        Runtime.getRuntime().addShutdownHook(new Thread(bridge::close, "cmtp-bridge-stop"));
        String host = bind.getHostAddress();
        out.println("cmtp bridge for " + address + " (signed in at " + api + ", session " + session.sessionId() + ")");
        out.println("IMAP " + host + ":" + bridge.imap.getLocalPort());
        out.println("SMTP " + host + ":" + bridge.smtp.getPortAllocated());
        out.println("user name " + address);
        out.println("bridge password " + password);
        out.println("state in " + bridge.mailbox.directory());
        if (exposure != null) {
            out.println(exposure);
        }
        out.println("Ctrl-C stops the bridge");
        if (interruptIgnored()) {
            out.println("(Ctrl-C is ignored by this process, as for programs started in the background:"
                    + " stop it with kill " + ProcessHandle.current().pid() + ")");
        }
        out.flush();
        bridge.stopped.await();
        return Cli.OK;
    }

    /**
     * Whether SIGINT is ignored here (Linux: {@code SigIgn} in /proc/self/status). A shell
     * starts background programs that way and the JVM keeps it so: Ctrl-C then never reaches
     * the shutdown hook, only SIGTERM does.
     */
    static boolean interruptIgnored() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0; // bit 1: signal 2
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to tell
        }
        return false;
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        log.println("cmtp bridge: stopping");
        try {
            imap.close();
        } catch (IOException e) {
            // closing anyway
        }
        smtp.stop();
        mailbox.close();
        sessions.shutdownNow();
        try {
            for (var value : session.api().sessions()) {
                if (value.asJsonObject().getBoolean("current", false)) {
                    session.api().revoke(value.asJsonObject().getString("id"));
                }
            }
            log.println("cmtp bridge: stopped; session revoked");
        } catch (IOException | FailureException | RuntimeException e) {
            log.println("cmtp bridge: stopped; the session could not be revoked: " + e.getMessage());
        }
        stopped.countDown();
    }
}
