package org.cmtp.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private instance of Debian's Postfix for a test: its own configuration, queue and
 * Maildir directories in a new directory under {@code /tmp}, started with {@code postfix -c DIR start},
 * listening only on the loopback address and port it is given (never port 25 on all
 * addresses). Mail for {@code relayDomains} goes to the transport given for it (the CMTP
 * server's SMTP gateway); mail for {@code maildirDomain} is delivered to Maildirs under
 * {@link #maildir(String)} (Postfix's virtual delivery agent). Needs root, as Postfix does.
 *
 * <p>Not under {@code target/}: Postfix's master opens its lock file as the {@code postfix}
 * user and the virtual agent writes as {@code nobody}, so every directory above the instance
 * must be searchable by others, which a checkout need not be (a CI checkout under a
 * {@code 0700} directory made {@code postfix start} fail with no output). {@code /tmp} is.
 */
public final class PrivatePostfix implements AutoCloseable {

    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path SENDMAIL = Path.of("/usr/sbin/sendmail");

    private final Path dir;
    private final Path config;
    private boolean started;

    /**
     * @param name          start of the instance's directory name under {@code /tmp}
     * @param listen        {@code host:port} of its SMTP server
     * @param transports    domain → Postfix transport, e.g. {@code b.test → smtp:[127.0.0.121]:15301}
     * @param maildirDomain the domain whose accounts ({@code users}) get Maildirs
     * @param extraMain     more main.cf lines (e.g. {@code relayhost})
     */
    public PrivatePostfix(String name, String listen, Map<String, String> transports, String maildirDomain,
                          List<String> users, List<String> extraMain) throws IOException, InterruptedException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "cmtp-" + name + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        config = dir.resolve("etc");
        Files.createDirectories(config);
        Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(dir.resolve("data"));
        Files.setOwner(dir.resolve("data"), dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix"));
        Path maildirs = dir.resolve("maildir");
        Files.createDirectories(maildirs);
        // the virtual agent writes as nobody (virtual_uid_maps below)
        Files.setPosixFilePermissions(maildirs, PosixFilePermissions.fromString("rwxrwxrwx"));
        String host = listen.substring(0, listen.lastIndexOf(':'));
        StringBuilder transportMap = new StringBuilder();
        transports.forEach((domain, transport) -> transportMap.append(' ').append(domain).append('=').append(transport));
        StringBuilder mailboxes = new StringBuilder();
        users.forEach(user -> mailboxes.append(' ').append(user).append('@').append(maildirDomain).append('=')
                .append(user).append('/'));
        List<String> main = new ArrayList<>(List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + dir.resolve("data"),
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = postfix." + maildirDomain,
                "mydomain = " + maildirDomain,
                "myorigin = " + maildirDomain,
                "mydestination =",
                // Postfix accepts only configured interface addresses here; master.cf binds the one given
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "smtp_bind_address = " + host,
                "mynetworks = 127.0.0.0/8",
                "relay_domains = " + String.join(" ", transports.keySet()),
                "transport_maps = inline:{" + transportMap + " }",
                "virtual_mailbox_domains = " + maildirDomain,
                "virtual_mailbox_base = " + maildirs,
                "virtual_mailbox_maps = inline:{" + mailboxes + " }",
                "virtual_uid_maps = static:65534",
                "virtual_gid_maps = static:65534",
                "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination",
                "smtp_dns_support_level = disabled",
                "minimal_backoff_time = 2s",
                "maximal_backoff_time = 4s",
                "queue_run_delay = 2s",
                "smtp_connect_timeout = 5s",
                "maillog_file = " + dir.resolve("postfix.log"),
                "maillog_file_prefixes = " + dir,
                "biff = no",
                "alias_maps =",
                "alias_database =",
                "local_recipient_maps =",
                "smtputf8_enable = no"));
        main.addAll(extraMain);
        Files.write(config.resolve("main.cf"), main, StandardCharsets.UTF_8);
        Files.writeString(config.resolve("master.cf"), String.join("\n",
                listen + " inet n - n - - smtpd",
                "pickup    unix  n       -       n       60      1       pickup",
                "cleanup   unix  n       -       n       -       0       cleanup",
                "qmgr      unix  n       -       n       300     1       qmgr",
                "rewrite   unix  -       -       n       -       -       trivial-rewrite",
                "bounce    unix  -       -       n       -       0       bounce",
                "defer     unix  -       -       n       -       0       bounce",
                "trace     unix  -       -       n       -       0       bounce",
                "verify    unix  -       -       n       -       1       verify",
                "flush     unix  n       -       n       1000?   0       flush",
                "proxymap  unix  -       -       n       -       -       proxymap",
                "smtp      unix  -       -       n       -       -       smtp",
                "relay     unix  -       -       n       -       -       smtp",
                "showq     unix  n       -       n       -       -       showq",
                "error     unix  -       -       n       -       -       error",
                "retry     unix  -       -       n       -       -       error",
                "discard   unix  -       -       n       -       -       discard",
                "virtual   unix  -       n       n       -       -       virtual",
                "anvil     unix  -       -       n       -       1       anvil",
                "scache    unix  -       -       n       -       1       scache",
                "postlog   unix-dgram n  -       n       -       1       postlogd",
                ""), StandardCharsets.UTF_8);
    }

    public PrivatePostfix start() throws IOException, InterruptedException {
        try {
            run(List.of(POSTFIX.toString(), "-c", config.toString(), "start"), false);
        } catch (IOException e) {
            // postfix prints nothing when its stderr is no terminal; the cause is in its log
            throw new IOException(e.getMessage() + "\nPostfix's log:\n" + log(), e);
        }
        started = true;
        return this;
    }

    /** Hands a message to Postfix as a local program does: {@code sendmail -C DIR -f FROM -- TO}. */
    public void sendmail(String from, String to, byte[] message) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(SENDMAIL.toString(), "-C", config.toString(), "-f", from, "-i", "--", to)
                .redirectErrorStream(true).start();
        process.getOutputStream().write(message);
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("sendmail failed: " + out);
        }
    }

    /** {@code postqueue -f}: try every deferred message now. */
    public void flush() throws IOException, InterruptedException {
        run(List.of("/usr/sbin/postqueue", "-c", config.toString(), "-f"), true);
    }

    /** {@code postqueue -p}: the queue listing ("Mail queue is empty" when nothing waits). */
    public String queue() throws IOException, InterruptedException {
        return run(List.of("/usr/sbin/postqueue", "-c", config.toString(), "-p"), true);
    }

    /** Postfix's own log of this instance. */
    public String log() throws IOException {
        Path log = dir.resolve("postfix.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** The messages delivered to {@code user}'s Maildir ({@code new/} and {@code cur/}), oldest first by name. */
    public List<byte[]> maildir(String user) throws IOException {
        List<byte[]> messages = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path folder = dir.resolve("maildir").resolve(user).resolve(sub);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.sorted().toList()) {
                        messages.add(Files.readAllBytes(file));
                    }
                }
            }
        }
        return messages;
    }

    public Path directory() {
        return dir;
    }

    /** Stops Postfix and removes its directory, queue and Maildirs with it. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (started) {
            run(List.of(POSTFIX.toString(), "-c", config.toString(), "stop"), true);
            started = false;
        }
        Directories.delete(dir);
    }

    private static String run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0 && !mayFail) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + out);
        }
        return out;
    }
}
