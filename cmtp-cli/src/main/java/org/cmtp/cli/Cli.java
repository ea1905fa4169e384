package org.cmtp.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.CmtpClientException;
import org.cmtp.client.MailSendException;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.Receipt;
import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.CryptoException;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.WrongPasswordException;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.wire.ProtocolException;
import org.cmtp.protocol.StatusWord;

/**
 * The {@code cmtp} command: parses the command line, runs one subcommand, and maps every
 * outcome to an exit code — 0 done, 1 wrong usage, 2 failure — with one line on stderr
 * naming the cause.
 */
final class Cli {

    static final int OK = 0;
    static final int USAGE = 1;
    static final int FAILURE = 2;
    /** After the receipt of a recipient who got the mail in plaintext. */
    static final String PLAINTEXT_NOTE = " (plaintext: NOT encrypted, as --allow-plaintext asked)";

    static final String USAGE_TEXT = """
            usage: cmtp [--server HOST[:PORT]] [--api URL] [--timeout SECONDS] [--server-key HEX] COMMAND ...

              keyrequest ACCOUNT@DOMAIN            print the account's public key (hex)
              login ACCOUNT [--out FILE] [--force] [--password-file FILE]
                                                   fetch the account's xzibit, open it with the
                                                   password (console, --password-file or
                                                   CMTP_PASSWORD) and save the key pair (mode 600;
                                                   default ACCOUNT.cmtpkey)
              send --from ACCOUNT@DOMAIN --to A@D[,B@D...] [--subject S] [--text T | --text-file F]
                   [--cc A@D,...] [--reply-to R] [--attach FILE...] [--allow-plaintext]
                                                   seal and send; one line per receipt. When a
                                                   recipient has no key (e.g. its domain has no
                                                   CMTP server) nothing is sent, unless
                                                   --allow-plaintext: then that recipient gets it
                                                   NOT encrypted (over SMTP if its domain has no
                                                   CMTP server); the others still get it sealed
              open --keys FILE MESSAGE_FILE        decrypt a stored message and print it
              signin ACCOUNT@DOMAIN [--password-file FILE]
                                                   sign in to the user API by proof of key (the
                                                   password opens the key here; only a signature
                                                   is sent); the session is kept for the commands
                                                   below and for send from that address
              signout                              revoke this session and forget it
              bridge ACCOUNT@DOMAIN [--password-file FILE | --keys FILE] [--imap-port N] [--smtp-port N]
                     [--bind ADDRESS]              sign in and serve IMAP (default 1143) and SMTP
                                                   submission (1025) on 127.0.0.1 for mail programs;
                                                   prints the bridge password; Ctrl-C stops it
              inbox [--offset N] [--limit N]       list your messages, newest first
              read ID [--save DIR] [--keys FILE] [--password-file FILE]
                                                   decrypt and print a message; --save writes its
                                                   attachments into DIR (names made safe)
              delete ID                            delete a message
              mark ID --read|--unread              mark a message read or unread
              sessions [--revoke ID]               list your sessions, or revoke one
              passwd [--password-file FILE] [--new-password-file FILE]
                                                   re-seal your key with a new password (here) and
                                                   upload only the new xzibit (CMTP_NEW_PASSWORD)
              bench [--connections N] [--messages M] [--size BYTES] [--to ACCOUNT@DOMAIN]
                    [--per-connection K] [--keyrequest] [--warm-up W]
                                                   send M messages of BYTES over N connections;
                                                   print messages/s, MB/s and latency percentiles.
                                                   --per-connection: K messages, then a new
                                                   connection (default: one for all);
                                                   --keyrequest: M KEYREQUESTs for --to instead;
                                                   --warm-up: W more first, not measured

            --server defaults to 127.0.0.1:9001, --api (the user API) to https://HOST:8080/ of
            --server (its certificate pinned on first use), --timeout to 30 seconds. The server's key is
            trusted as presented unless --server-key pins it. A server that once advertised
            address-bound key replies (KEYBIND) is asked only that way from then on (remembered
            in $CMTP_CONFIG_DIR, else ~/.config/cmtp/known-servers); so is one pinned with
            --server-key. Exit codes: 0 ok, 1 usage, 2 failure.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> environment;
    private final Console console;

    Cli(PrintStream out, PrintStream err, InputStream in, Map<String, String> environment, Console console) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.environment = environment;
        this.console = console;
    }

    int run(String... words) {
        try {
            Arguments arguments = Arguments.parse(words);
            if (arguments.flag("help")) {
                out.print(USAGE_TEXT);
                return OK;
            }
            String command = arguments.command().orElseThrow(() -> new UsageException("no command given"));
            Context context = new Context(arguments);
            return switch (command) {
                case "keyrequest" -> keyRequest(context);
                case "login" -> login(context);
                case "send" -> send(context);
                case "open" -> open(context);
                case "bench" -> bench(context);
                case "signin" -> users(context).signIn(context.api(),
                        address("signin", context.arguments().positionals(1, "one ACCOUNT@DOMAIN").get(0)));
                case "signout" -> users(context).signOut();
                case "bridge" -> Bridge.run(users(context), context.api(),
                        address("bridge", context.arguments().positionals(1, "one ACCOUNT@DOMAIN").get(0)),
                        context.arguments().value("keys").map(Path::of).orElse(null),
                        KnownServers.in(environment).directory(),
                        context.arguments().value("bind").orElse("127.0.0.1"),
                        context.arguments().integer("imap-port", 1143, 0, 65535),
                        context.arguments().integer("smtp-port", 1025, 0, 65535), out, err);
                case "inbox" -> users(context).inbox(context.arguments().integer("offset", 0, 0, Integer.MAX_VALUE),
                        context.arguments().integer("limit", 50, 1, 500));
                case "read" -> users(context).read(messageId(context),
                        context.arguments().value("keys").map(Path::of).orElse(null),
                        context.arguments().value("save").map(Path::of).orElse(null));
                case "delete" -> users(context).delete(messageId(context));
                case "mark" -> users(context).mark(messageId(context), readFlag(context.arguments()));
                case "sessions" -> users(context).sessions(context.arguments().value("revoke").orElse(null));
                case "passwd" -> users(context).changePassword();
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println("cmtp: " + e.getMessage());
            err.println("try 'cmtp --help'");
            return USAGE;
        } catch (FailureException e) {
            err.println("cmtp: " + e.getMessage());
            return FAILURE;
        } catch (CmtpClientException e) {
            err.println("cmtp: " + e.getMessage());
            return FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("cmtp: interrupted");
            return FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println("cmtp: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return FAILURE;
        }
    }

    private UserCommands users(Context context) {
        return new UserCommands(out, KnownServers.in(environment), context.timeout(), context.pinnedKey(),
                (prompt, fileOption, variable) -> password(context.arguments(), prompt, fileOption, variable));
    }

    private static long messageId(Context context) throws UsageException {
        String id = context.arguments().positionals(1, "one message ID").get(0);
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new UsageException("'" + id + "' is not a message id (a number, as cmtp inbox shows)");
        }
    }

    private static boolean readFlag(Arguments arguments) throws UsageException {
        if (arguments.flag("read") == arguments.flag("unread")) {
            throw new UsageException("mark needs --read or --unread");
        }
        return arguments.flag("read");
    }

    /** The global options of one run. */
    private record Context(Arguments arguments, ServerAddress server, Duration timeout, byte[] pinnedKey) {
        Context(Arguments arguments) throws UsageException {
            this(arguments, server(arguments), Duration.ofSeconds(arguments.integer("timeout", 30, 1, 86_400)),
                    pinnedKey(arguments));
        }

        private static ServerAddress server(Arguments arguments) throws UsageException {
            Optional<String> server = arguments.value("server");
            return server.isPresent() ? ServerAddress.parse(server.get()) : ServerAddress.DEFAULT;
        }

        private static byte[] pinnedKey(Arguments arguments) throws UsageException {
            Optional<String> hex = arguments.value("server-key");
            if (hex.isEmpty()) {
                return null;
            }
            try {
                byte[] key = HexFormat.of().parseHex(hex.get().trim());
                if (key.length == 32) {
                    return key;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new UsageException("--server-key must be 64 hex digits");
        }

        CmtpClient connect() throws CmtpClientException {
            return CmtpClient.connect(server.resolve(), timeout, timeout);
        }

        /** The user API: --api, else HTTPS port 8080 of the --server host. */
        java.net.URI api() throws UsageException {
            String given = arguments.value("api").orElse(null);
            String text = given != null ? given
                    : "https://" + (server.host().indexOf(':') >= 0 ? "[" + server.host() + "]" : server.host()) + ":8080/";
            try {
                java.net.URI uri = new java.net.URI(text.endsWith("/") ? text : text + "/");
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new UsageException("--api " + text + ": give an http:// or https:// URL");
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                throw new UsageException("--api " + text + ": " + e.getMessage());
            }
        }
    }

    /** An open connection to the server and its checked key. */
    private record Connected(CmtpClient client, byte[] serverKey) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * Connects, checks the server's key against {@code --server-key}, and holds the server to
     * what it advertised before: a server that once spoke KEYBIND (or whose key is pinned)
     * must answer key requests with address-bound replies (PROTOCOL.md §4a).
     */
    private Connected connect(Context context) throws CmtpClientException, FailureException, IOException {
        KnownServers known = KnownServers.in(environment);
        CmtpClient client = context.connect();
        try {
            boolean remembered = known.keyBind(context.server());
            if (remembered || context.pinnedKey() != null) {
                client.requireKeyBind();
            }
            byte[] serverKey = checkServerKey(client, context.pinnedKey());
            if (!remembered && client.usesKeyBind()) {
                known.rememberKeyBind(context.server());
            }
            return new Connected(client, serverKey);
        } catch (FailureException | IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The server's key, which must equal {@code pinned} when one was given. */
    static byte[] checkServerKey(CmtpClient client, byte[] pinned) throws CmtpClientException, FailureException {
        byte[] key = client.serverKey();
        if (pinned != null && !Arrays.equals(key, pinned)) {
            throw new FailureException(client.server() + " presented the key " + HexFormat.of().formatHex(key)
                    + ", not the one given with --server-key");
        }
        return key;
    }

    private int keyRequest(Context context) throws UsageException, CmtpClientException, FailureException, IOException {
        MailAddress address = address("keyrequest", context.arguments().positionals(1, "one ACCOUNT@DOMAIN").get(0));
        try (Connected connected = connect(context)) {
            CmtpClient client = connected.client();
            Optional<byte[]> key = client.keyRequest(address, connected.serverKey());
            client.quit();
            if (key.isEmpty()) {
                throw new FailureException(client.server() + " has no key for " + address + " (KEYNOTAVAILABLE)");
            }
            out.println(HexFormat.of().formatHex(key.get()));
            return OK;
        }
    }

    private int login(Context context) throws UsageException, IOException, FailureException {
        Arguments arguments = context.arguments();
        String account = arguments.positionals(1, "one ACCOUNT").get(0);
        try {
            MailAddress.validateName("account", account);
        } catch (InvalidAddressException e) {
            throw new UsageException("login: " + e.getMessage());
        }
        Path file = Path.of(arguments.value("out").orElse(account + ".cmtpkey"));
        boolean replace = arguments.flag("force");
        if (Files.exists(file) && !replace) {
            throw new FailureException(file + " exists; use --force to replace it");
        }
        char[] password = password(arguments, account);
        try (Connected connected = connect(context)) {
            CmtpClient client = connected.client();
            Ed25519KeyPair keys = client.login(account, connected.serverKey()).open(password);
            client.quit();
            KeyFile.write(file, keys, account, client.server(), replace);
            out.println("saved the key pair of " + account + " to " + file + " (public key "
                    + HexFormat.of().formatHex(keys.publicKey()) + ")");
            return OK;
        } catch (WrongPasswordException e) {
            throw new FailureException("login " + account + ": wrong password");
        } catch (FileAlreadyExistsException e) {
            throw new FailureException(file + " exists; use --force to replace it");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] password(Arguments arguments, String account) throws UsageException, IOException {
        return password(arguments, "Password for " + account + ": ", "password-file", "CMTP_PASSWORD");
    }

    /** A password from the file option (its first line), else the environment variable, else the console. */
    private char[] password(Arguments arguments, String prompt, String fileOption, String variable)
            throws UsageException, IOException {
        Optional<String> file = arguments.value(fileOption);
        if (file.isPresent()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file.get()), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new UsageException("--" + fileOption + " " + file.get() + ": no such file");
            }
            if (lines.isEmpty()) {
                throw new UsageException("--" + fileOption + " " + file.get() + " is empty");
            }
            return lines.get(0).toCharArray();
        }
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        if (console != null) {
            char[] typed = console.readPassword("%s", prompt);
            if (typed != null) {
                return typed;
            }
        }
        throw new UsageException("no password: give --" + fileOption + " FILE or set " + variable + " (no console to ask)");
    }

    private int send(Context context) throws UsageException, IOException, FailureException {
        Arguments arguments = context.arguments();
        arguments.positionals(0, "no arguments besides its options");
        MailAddress from = address("--from", arguments.required("from"));
        List<MailAddress> to = addresses("--to", arguments.list("to"));
        if (to.isEmpty()) {
            throw new UsageException("send needs --to");
        }
        if (arguments.value("text").isPresent() && arguments.value("text-file").isPresent()) {
            throw new UsageException("give --text or --text-file, not both");
        }
        String text = arguments.value("text-file").isPresent() ? readText(arguments.value("text-file").get())
                : arguments.value("text").map(t -> t.equals("-") ? null : t).orElse("");
        if (text == null) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Attachment> attachments = new ArrayList<>();
        for (String name : arguments.rawList("attach")) {
            Path file = Path.of(name);
            if (!Files.isRegularFile(file)) {
                throw new UsageException("--attach " + name + ": no such file");
            }
            String fileName = file.getFileName().toString();
            try {
                attachments.add(new Attachment(fileName, Files.readAllBytes(file)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--attach " + name + ": " + e.getMessage());
            }
        }
        OutgoingMail mail;
        try {
            mail = new OutgoingMail(from, to, arguments.value("subject").orElse(""), text,
                    arguments.value("reply-to").orElse(""), addresses("--cc", arguments.list("cc")), attachments);
        } catch (IllegalArgumentException e) {
            throw new UsageException("send: " + e.getMessage());
        }
        boolean allowPlaintext = arguments.flag("allow-plaintext");
        UserCommands users = users(context);
        Optional<UserSessionFile> session = users.sessionFor(from);
        if (session.isPresent()) { // signed in: authenticated submission through the user API, from any network
            return users.send(session.get(), mail, allowPlaintext) ? OK : FAILURE;
        }
        List<Receipt> receipts;
        Set<MailAddress> inClear;
        try (Connected connected = connect(context)) {
            CmtpClient client = connected.client();
            MailSender sender = new MailSender(client, connected.serverKey(), Clock.systemUTC());
            List<MailSender.RecipientKey> keys = sender.keys(mail);
            inClear = inClear(keys.stream().filter(MailSender.RecipientKey::withoutKey)
                    .map(MailSender.RecipientKey::recipient).toList(), allowPlaintext);
            try {
                receipts = sender.send(mail, keys, allowPlaintext);
            } catch (MailSendException e) {
                e.completed().forEach(r -> printReceipt(r, inClear.contains(r.recipient())));
                throw e;
            }
            client.quit();
        }
        receipts.forEach(r -> printReceipt(r, inClear.contains(r.recipient())));
        return receipts.stream().allMatch(Receipt::delivered) ? OK : FAILURE;
    }

    /**
     * The recipients who get the mail in plaintext: those without a key, when the sender
     * allowed it. Without {@code --allow-plaintext} a recipient without a key stops the
     * whole mail before anything is sent: a sender who meant everyone to read it sealed
     * learns first, and decides.
     *
     * @throws FailureException some recipient has no key and plaintext was not allowed
     */
    static Set<MailAddress> inClear(List<MailAddress> withoutKey, boolean allowPlaintext) throws FailureException {
        if (!withoutKey.isEmpty() && !allowPlaintext) {
            String names = withoutKey.stream().map(MailAddress::toString).collect(Collectors.joining(", "));
            throw new FailureException("nothing sent: no CMTP key for " + names + " (no such account, or the domain has"
                    + " no CMTP server); to send them this mail NOT encrypted, give --allow-plaintext");
        }
        return Set.copyOf(withoutKey);
    }

    /** One line per recipient; a plaintext one says so. */
    void printReceipt(Receipt receipt, boolean plaintext) {
        if (receipt.status() == StatusWord.KEYNOTAVAILABLE) {
            out.println(receipt.status() + " " + receipt.recipient() + " (no key for the recipient: not sent)");
        } else {
            out.println(receipt + (plaintext ? PLAINTEXT_NOTE : ""));
        }
    }

    private static String readText(String name) throws UsageException, IOException {
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("--text-file " + name + ": no such file");
        }
    }

    private int open(Context context) throws UsageException, IOException, FailureException {
        Arguments arguments = context.arguments();
        Path keysFile = Path.of(arguments.required("keys"));
        Path messageFile = Path.of(arguments.positionals(1, "one MESSAGE_FILE").get(0));
        if (KeyFile.isExposed(keysFile)) {
            err.println("cmtp: warning: " + keysFile + " can be read by others than you (chmod 600 it)");
        }
        Ed25519KeyPair keys;
        byte[] stored;
        try {
            keys = KeyFile.read(keysFile);
            stored = Files.readAllBytes(messageFile);
        } catch (NoSuchFileException e) {
            throw new FailureException(e.getFile() + ": no such file");
        }
        ReceivedMail mail;
        try {
            mail = ReceivedMail.open(stored, keys);
        } catch (ProtocolException e) {
            throw new FailureException(messageFile + " is not a valid CMTP message: " + e.getMessage());
        } catch (CryptoException e) {
            throw new FailureException(messageFile + " does not open with the keys in " + keysFile + ": "
                    + e.getMessage());
        }
        printMail(out, mail);
        return OK;
    }

    private int bench(Context context) throws UsageException, FailureException, InterruptedException {
        Arguments arguments = context.arguments();
        arguments.positionals(0, "no arguments besides its options");
        int connections = arguments.integer("connections", 1, 1, 1000);
        int messages = arguments.integer("messages", 100, 1, 10_000_000);
        int size = arguments.integer("size", 1024, 1, 25 * 1024 * 1024);
        int perConnection = arguments.integer("per-connection", 0, 0, 10_000_000);
        Bench.Mode mode = arguments.flag("keyrequest") ? Bench.Mode.KEYREQUEST : Bench.Mode.MAIL;
        int warmUp = arguments.integer("warm-up", 0, 0, 10_000_000);
        MailAddress to = address("--to", arguments.value("to").orElse("bench@localhost"));
        Bench.Result result = Bench.run(context.server(), context.timeout(), context.pinnedKey(), connections,
                messages, size, to, mode, perConnection, warmUp, err);
        out.println(result.summary());
        return result.errors().isEmpty() && result.latenciesNanos().length == messages ? OK : FAILURE;
    }

    /** Prints an opened message: the header fields, the attachments' names and sizes, the text. */
    static void printMail(PrintStream out, ReceivedMail mail) {
        out.println("From: " + printable(mail.message().source().toString()));
        out.println("To: " + printable(mail.message().destination().toString()));
        out.println("Reply-To: " + printable(mail.body().replyTo()));
        out.println("Subject: " + printable(mail.body().subject()));
        out.println("Date: " + printable(mail.body().date()));
        out.println("CC: " + mail.body().carbonCopies().stream().map(a -> printable(a.toString()))
                .collect(Collectors.joining(", ")));
        for (Attachment attachment : mail.attachments()) {
            out.println("Attachment: " + printable(attachment.fileName()) + " (" + attachment.data().length + " bytes)");
        }
        out.println();
        out.print(printableText(mail.body().text()));
        if (!mail.body().text().endsWith("\n")) {
            out.println();
        }
    }

    static MailAddress address(String what, String text) throws UsageException {
        try {
            return MailAddress.parse(text);
        } catch (InvalidAddressException e) {
            throw new UsageException(what + " '" + text + "' is not ACCOUNT@DOMAIN: " + e.getMessage());
        }
    }

    private static List<MailAddress> addresses(String what, List<String> texts) throws UsageException {
        List<MailAddress> addresses = new ArrayList<>();
        for (String text : texts) {
            addresses.add(address(what, text));
        }
        return addresses;
    }

    /** A header field as the sender wrote it, with control characters shown as '?' (no terminal escapes). */
    static String printable(String field) {
        return field.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** The text, keeping line breaks and tabs, other control characters shown as '?'. */
    static String printableText(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) && c != '\n' && c != '\t' ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
