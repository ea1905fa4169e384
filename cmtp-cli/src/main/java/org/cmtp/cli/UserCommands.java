package org.cmtp.cli;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.CryptoException;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Signatures;
import org.cmtp.crypto.WrongPasswordException;
import org.cmtp.crypto.Xzibit;
import org.cmtp.message.Attachment;
import org.cmtp.message.MailAddress;
import org.cmtp.protocol.Command;
import org.cmtp.wire.ProtocolException;
import org.cmtp.protocol.SignInStatement;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;

/**
 * The commands of an account holder, over the user API (README "Users"): sign in by proof
 * of key, list, read (decrypted here), mark, delete, change the password, manage sessions,
 * and send through authenticated submission. The password and the secret key never leave
 * this process; the server key is pinned on first use in the configuration directory.
 */
final class UserCommands {

    /** Reads a password: from a file option, an environment variable, or the console. */
    @FunctionalInterface
    interface Passwords {
        char[] read(String prompt, String fileOption, String environmentVariable) throws UsageException, IOException;
    }

    private final PrintStream out;
    private final KnownServers known;
    private final Path configDirectory;
    private final Duration timeout;
    private final byte[] configuredKey;
    private final Passwords passwords;

    UserCommands(PrintStream out, KnownServers known, Duration timeout, byte[] configuredKey, Passwords passwords) {
        this.out = out;
        this.known = known;
        this.configDirectory = known.directory();
        this.timeout = timeout;
        this.configuredKey = configuredKey;
        this.passwords = passwords;
    }

    // ---- signing in ---------------------------------------------------------------------

    int signIn(URI apiBase, MailAddress address) throws UsageException, IOException, FailureException {
        SignedIn signedIn = signInSession(apiBase, address, null);
        new UserSessionFile(apiBase.toString(), address.toString(), signedIn.token()).write(configDirectory);
        out.println("signed in as " + address + " at " + apiBase + " (session " + signedIn.sessionId()
                + ", until " + signedIn.expires() + ")");
        return Cli.OK;
    }

    /**
     * A session made by proof of key, held by the caller (the bridge keeps it in memory).
     *
     * @param api the user API with the session's token
     * @param serverKey the server key, checked against --server-key or the pin
     * @param keys the account's key pair, opened here
     */
    record SignedIn(MailAddress address, UserApi api, byte[] serverKey, Ed25519KeyPair keys, String token,
                    String sessionId, String expires) {
    }

    /**
     * Signs in by proof of key: the key pair from {@code keysFile} when given, else the xzibit
     * opened here with the password. Writes no session file.
     */
    SignedIn signInSession(URI apiBase, MailAddress address, Path keysFile)
            throws UsageException, IOException, FailureException {
        UserApi api = new UserApi(apiBase, null, timeout, known);
        JsonObject challenge = api.challenge(address.toString());
        byte[] serverKey = checkServerKey(api, HexFormat.of().parseHex(challenge.getString("serverKey")));
        Ed25519KeyPair keys = keysFile != null ? KeyFile.read(keysFile) : openKeys(api, serverKey, address.account(), null);
        byte[] statement = SignInStatement.bytes(challenge.getString("domain"), challenge.getString("account"), serverKey,
                Base64.getUrlDecoder().decode(challenge.getString("challenge")),
                Instant.ofEpochSecond(challenge.getJsonNumber("expiresEpochSecond").longValue()));
        byte[] signature = Signatures.sign(keys, statement);
        JsonObject session = api.signIn(address.account(), challenge.getString("challenge"), HexFormat.of().formatHex(signature));
        String token = session.getString("token");
        return new SignedIn(address, api.withToken(token), serverKey, keys, token, session.getString("sessionId"),
                session.getString("expires"));
    }

    int signOut() throws IOException, FailureException {
        Optional<UserSessionFile> session = UserSessionFile.read(configDirectory);
        if (session.isEmpty()) {
            out.println("not signed in");
            return Cli.OK;
        }
        UserApi api = api(session.get());
        try {
            for (JsonValue value : api.sessions()) {
                if (value.asJsonObject().getBoolean("current", false)) {
                    api.revoke(value.asJsonObject().getString("id"));
                }
            }
        } finally {
            UserSessionFile.delete(configDirectory);
        }
        out.println("signed out of " + session.get().address());
        return Cli.OK;
    }

    // ---- the mailbox --------------------------------------------------------------------

    /** How a message the SMTP gateway took in is marked (README "Living beside SMTP"). */
    static final String VIA_SMTP = "arrived by SMTP, encrypted on arrival, not end to end";

    int inbox(int offset, int limit) throws IOException, FailureException {
        UserApi api = api(signedIn());
        UserApi.Page page = api.messages(offset, limit);
        for (JsonValue value : page.messages()) {
            JsonObject message = value.asJsonObject();
            int attachments = message.getInt("attachments", 0);
            out.printf("%8d  %s  %s  %d bytes%s%s%s%n", message.getJsonNumber("id").longValue(),
                    message.getString("received"), Cli.printable(message.getString("sender")),
                    message.getJsonNumber("size").longValue(), message.getBoolean("read") ? "" : "  [unread]",
                    attachments == 0 ? "" : "  [" + attachments + " attachment(s)]",
                    message.getBoolean("viaSmtp", false) ? "  [" + VIA_SMTP + "]" : "");
        }
        out.println(page.total() + " message(s)" + (page.messages().size() < page.total()
                ? ", " + page.messages().size() + " shown from " + offset : ""));
        return Cli.OK;
    }

    int read(long id, Path keysFile, Path saveDirectory) throws UsageException, IOException, FailureException {
        UserSessionFile session = signedIn();
        UserApi api = api(session);
        Ed25519KeyPair keys = keysFile != null ? KeyFile.read(keysFile)
                : openKeys(api, pinnedKey(session), accountOf(session), null);
        boolean viaSmtp = api.message(id).getBoolean("viaSmtp", false);
        byte[] raw = api.raw(id);
        ReceivedMail mail;
        try {
            mail = ReceivedMail.open(raw, keys);
        } catch (ProtocolException | CryptoException e) {
            throw new FailureException("message " + id + " does not open with the key of " + session.address() + ": "
                    + e.getMessage());
        }
        if (viaSmtp) {
            out.println("Note: " + VIA_SMTP + " (the sender wrote it in the clear; this server sealed it)");
        }
        Cli.printMail(out, mail);
        if (saveDirectory != null) {
            save(mail.attachments(), saveDirectory);
        }
        return Cli.OK;
    }

    int delete(long id) throws IOException, FailureException {
        api(signedIn()).delete(id);
        out.println("deleted message " + id);
        return Cli.OK;
    }

    int mark(long id, boolean read) throws IOException, FailureException {
        api(signedIn()).mark(id, read);
        out.println("marked message " + id + (read ? " read" : " unread"));
        return Cli.OK;
    }

    int sessions(String revoke) throws IOException, FailureException {
        UserApi api = api(signedIn());
        if (revoke != null) {
            api.revoke(revoke);
            out.println("revoked session " + revoke);
            return Cli.OK;
        }
        for (JsonValue value : api.sessions()) {
            JsonObject s = value.asJsonObject();
            out.println(s.getString("id") + "  from " + s.getString("clientAddress") + "  since " + s.getString("created")
                    + "  last used " + s.getString("lastUsed") + "  until " + s.getString("expires")
                    + (s.getBoolean("current") ? "  (this one)" : ""));
        }
        return Cli.OK;
    }

    /** Re-seals the key pair with a new password here, and uploads only the new xzibit. */
    int changePassword() throws UsageException, IOException, FailureException {
        UserSessionFile session = signedIn();
        UserApi api = api(session);
        String account = accountOf(session);
        Ed25519KeyPair keys = openKeys(api, pinnedKey(session), account, null);
        char[] fresh = passwords.read("New password for " + account + ": ", "new-password-file", "CMTP_NEW_PASSWORD");
        try {
            if (fresh.length < 12) {
                throw new UsageException("the new password must have at least 12 characters");
            }
            api.replaceXzibit(Xzibit.create(fresh, keys, new SecureRandom()).toBytes());
        } finally {
            Arrays.fill(fresh, '\0');
        }
        out.println("password of " + account + " changed (the key pair was re-sealed here; only the new xzibit was sent)");
        return Cli.OK;
    }

    // ---- sending ------------------------------------------------------------------------

    /** @return the signed-in session when it is {@code from}'s: then {@code send} submits through the user API */
    Optional<UserSessionFile> sessionFor(MailAddress from) throws IOException {
        return UserSessionFile.read(configDirectory).filter(s -> s.address().equalsIgnoreCase(from.toString()));
    }

    /**
     * Seals per recipient here, with each key checked against the pinned server key (bound to
     * the address, PROTOCOL.md §4a), submits, and checks each receipt. Every key is looked up
     * first: a recipient without one stops the mail before anything is sent, unless
     * {@code allowPlaintext}, when that recipient gets a plaintext (version 0) message.
     *
     * @return whether every recipient got {@code SUCCESS}
     * @throws FailureException a recipient has no key and plaintext was not allowed (nothing was sent)
     */
    boolean send(UserSessionFile session, OutgoingMail mail, boolean allowPlaintext) throws IOException, FailureException {
        UserApi api = api(session);
        byte[] serverKey = pinnedKey(session);
        Instant date = Clock.systemUTC().instant();
        Map<MailAddress, Optional<byte[]>> keys = new LinkedHashMap<>();
        for (MailAddress recipient : mail.to()) {
            keys.put(recipient, verifiedKey(api, serverKey, recipient));
        }
        Set<MailAddress> inClear = Cli.inClear(keys.entrySet().stream().filter(k -> k.getValue().isEmpty())
                .map(Map.Entry::getKey).toList(), allowPlaintext);
        boolean all = true;
        for (Map.Entry<MailAddress, Optional<byte[]>> key : keys.entrySet()) {
            MailAddress recipient = key.getKey();
            byte[] raw = inClear.contains(recipient)
                    ? MailSender.plaintext(mail, recipient, date).encode()
                    : MailSender.seal(mail, recipient, key.getValue().get(), date).encode();
            Submitted submitted = submit(api, serverKey, recipient, raw);
            out.println(submitted.status() + " " + recipient + " " + HexFormat.of().formatHex(submitted.hash())
                    + (inClear.contains(recipient) ? Cli.PLAINTEXT_NOTE : ""));
            all &= submitted.status() == StatusWord.SUCCESS;
        }
        return all;
    }

    /**
     * The key of {@code recipient} from the user API, its address-bound signature (PROTOCOL.md
     * §4a) checked with the pinned server key; empty when the server has none.
     *
     * @throws FailureException when the signature does not hold: nothing may be sealed to that key
     */
    static Optional<byte[]> verifiedKey(UserApi api, byte[] serverKey, MailAddress recipient)
            throws IOException, FailureException {
        JsonObject key = api.key(recipient.toString());
        if (key == null) {
            return Optional.empty();
        }
        byte[] publicKey = HexFormat.of().parseHex(key.getString("publicKey"));
        byte[] signed = new Command.KeyBind(recipient.account(), recipient.domain()).bytesToSign(publicKey);
        if (!Signatures.verify(serverKey, signed, HexFormat.of().parseHex(key.getString("signature")))) {
            throw new FailureException("the key of " + recipient + " is not signed by the pinned server key for"
                    + " that address: refusing to seal to it");
        }
        return Optional.of(publicKey);
    }

    /** The server's signed status for one submitted message, checked over its exact bytes. */
    record Submitted(StatusWord status, byte[] hash) {
    }

    /**
     * Submits one sealed message and checks the server's signature over its status and the
     * message's hash.
     */
    static Submitted submit(UserApi api, byte[] serverKey, MailAddress recipient, byte[] raw)
            throws IOException, FailureException {
        JsonObject receipt = api.submit(raw);
        StatusWord word = StatusWord.valueOf(receipt.getString("status"));
        byte[] hash = org.cmtp.crypto.Blake2b.hash512(raw);
        if (!Signatures.verify(serverKey, SignedStatus.bytesToSign(word, hash),
                HexFormat.of().parseHex(receipt.getString("signature")))) {
            throw new FailureException("the server's " + word + " for " + recipient
                    + " is not signed by the pinned server key over this message");
        }
        return new Submitted(word, hash);
    }

    // ---- helpers ------------------------------------------------------------------------

    private UserSessionFile signedIn() throws IOException, FailureException {
        return UserSessionFile.read(configDirectory).orElseThrow(() -> new FailureException(
                "not signed in: cmtp signin ACCOUNT@DOMAIN first"));
    }

    private static String accountOf(UserSessionFile session) throws FailureException {
        try {
            return MailAddress.parse(session.address()).account();
        } catch (org.cmtp.wire.InvalidAddressException e) {
            throw new FailureException("the session file names no address: sign in again");
        }
    }

    private UserApi api(UserSessionFile session) {
        return new UserApi(URI.create(session.api()), session.token(), timeout, known);
    }

    private byte[] pinnedKey(UserSessionFile session) throws IOException, FailureException {
        return known.pinnedKey(session.api()).orElseThrow(() -> new FailureException(
                "no server key pinned for " + session.api() + ": sign in again"));
    }

    /** The server key the API presented, checked against --server-key or the pin (pinned now on first use). */
    private byte[] checkServerKey(UserApi api, byte[] presented) throws IOException, FailureException {
        if (configuredKey != null && !Arrays.equals(configuredKey, presented)) {
            throw new FailureException(api.base() + " presented the server key " + HexFormat.of().formatHex(presented)
                    + ", not the one given with --server-key " + HexFormat.of().formatHex(configuredKey));
        }
        known.checkKey(api.base().toString(), presented);
        return presented;
    }

    /** Fetches the xzibit, checks the server's signature over it and opens it here with the password. */
    private Ed25519KeyPair openKeys(UserApi api, byte[] serverKey, String account, char[] given)
            throws UsageException, IOException, FailureException {
        byte[] reply = api.xzibitReply(account);
        if (reply.length <= 64) {
            throw new FailureException("the server's xzibit for " + account + " is too short");
        }
        byte[] xzibit = Arrays.copyOf(reply, reply.length - 64);
        if (!Signatures.verify(serverKey, xzibit, Arrays.copyOfRange(reply, xzibit.length, reply.length))) {
            throw new FailureException("the xzibit of " + account + " is not signed by the pinned server key");
        }
        char[] password = given != null ? given : passwords.read("Password for " + account + ": ", "password-file",
                "CMTP_PASSWORD");
        try {
            return Xzibit.parse(xzibit).open(password);
        } catch (WrongPasswordException e) {
            throw new FailureException("wrong password for " + account);
        } catch (CryptoException e) {
            throw new FailureException("the xzibit of " + account + " cannot be opened: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Writes each attachment into {@code directory} under a sanitised name that replaces nothing. */
    private void save(List<Attachment> attachments, Path directory) throws IOException {
        Files.createDirectories(directory);
        for (Attachment attachment : attachments) {
            String name = safeFileName(attachment.fileName());
            Path target = directory.resolve(name);
            for (int n = 1; Files.exists(target); n++) {
                target = directory.resolve(n + "-" + name);
            }
            Files.write(target, attachment.data(), java.nio.file.StandardOpenOption.CREATE_NEW);
            out.println("saved " + target + " (" + attachment.data().length + " bytes)");
        }
    }

    /**
     * A file name a sender cannot use to escape the directory or to hide: only the last path
     * component, no control characters or colons, no leading dots or spaces.
     */
    static String safeFileName(String name) {
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String cleaned = last.codePoints()
                .map(c -> c == ':' || Character.isISOControl(c) ? '_' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                .replaceFirst("^[.\\s]+", "").strip();
        if (cleaned.isEmpty()) {
            cleaned = "attachment";
        }
        byte[] utf8 = cleaned.getBytes(StandardCharsets.UTF_8);
        return utf8.length <= 200 ? cleaned : new String(utf8, 0, 200, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }
}
