package org.cmtp.cli;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cmtp.client.ReceivedMail;
import org.cmtp.crypto.CryptoException;
import org.cmtp.crypto.CryptoSystems;
import org.cmtp.message.Message;
import org.cmtp.wire.ProtocolException;

/**
 * The bridge's two folders, as the IMAP sessions see them. INBOX mirrors the account's
 * mailbox on the server (user API): each message fetched there, opened here with the key,
 * rendered as MIME ({@link BridgeMime}); {@code \Seen} is the server's read flag and
 * expunging deletes on the server. Sent holds what was sent through the bridge, kept on
 * this machine sealed to the account's own key.
 *
 * <p>UIDs are the bridge's: given in the order the bridge first sees the messages (the
 * server's ids ascending), kept with UIDVALIDITY in a small owner-only state file, so they
 * survive restarts. Every change bumps {@link #version()}, which IDLE waits on.
 */
final class BridgeMailbox implements AutoCloseable {

    static final String INBOX = "INBOX";
    static final String SENT = "Sent";
    /** Decrypted messages kept in memory, in bytes of MIME. */
    private static final long CACHE_BYTES = 256L * 1024 * 1024;
    /** Messages asked for in one request (the server takes up to 100). */
    static final int BATCH = 50;
    /** Requests in flight at once; opening and rendering run on the same threads. */
    private static final int FETCHERS = 6;

    /** One message of a folder. */
    static final class Entry {
        final long uid;
        final long serverId; // -1 in Sent
        final Instant internalDate;
        volatile boolean seen;
        volatile boolean deleted;
        volatile int size = -1; // of the MIME form, once known
        volatile long storedSize; // of the sealed form on the server (INBOX)
        volatile boolean viaSmtp; // arrived through the server's SMTP gateway (INBOX)

        Entry(long uid, long serverId, Instant internalDate, boolean seen) {
            this.uid = uid;
            this.serverId = serverId;
            this.internalDate = internalDate;
            this.seen = seen;
        }
    }

    /** A folder: its entries by UID and the next UID. */
    static final class Folder {
        final String name;
        final TreeMap<Long, Entry> entries = new TreeMap<>();
        long uidNext = 1;

        Folder(String name) {
            this.name = name;
        }
    }

    private final UserCommands.SignedIn session;
    private final Path directory;
    private final PrintStream log;
    private final Folder inbox = new Folder(INBOX);
    private final Folder sent = new Folder(SENT);
    private final TreeMap<Long, Long> uidByServerId = new TreeMap<>();
    private final Map<Long, String> sentMessageIds = new TreeMap<>();
    private long uidValidity;
    private long version;
    private long lastSync;
    private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cachedBytes;
    private final ExecutorService fetchers = Executors.newFixedThreadPool(FETCHERS, daemon("cmtp-bridge-fetch"));
    /** Messages being fetched by a batch right now, by cache key: others wait for them, not fetch them again. */
    private final Map<String, CompletableFuture<byte[]>> loading = new ConcurrentHashMap<>();
    /** The server answered 404 to a batch (an older server): one request per message from then on. */
    private volatile boolean singleRequests;
    private volatile boolean closed;
    private Thread poller;

    BridgeMailbox(UserCommands.SignedIn session, Path configDirectory, PrintStream log) throws IOException {
        this.session = session;
        this.log = log;
        this.directory = configDirectory.resolve("bridge").resolve(directoryName(session.address().toString()));
        Files.createDirectories(directory.resolve("sent"));
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(directory.resolve("sent"), PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the directory's ACL decides
        }
        load();
    }

    /** The state directory's name: a hash of the address, never the address itself. */
    static String directoryName(String address) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(address.toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path directory() {
        return directory;
    }

    // ---- state file ---------------------------------------------------------------------

    private void load() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(directory.resolve("state"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            uidValidity = Math.max(1, Instant.now().getEpochSecond() & 0xffffffffL);
            save();
            return;
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            try {
                switch (f[0]) {
                    case "uidvalidity" -> uidValidity = Long.parseLong(f[1]);
                    case "inbox-next" -> inbox.uidNext = Long.parseLong(f[1]);
                    case "sent-next" -> sent.uidNext = Long.parseLong(f[1]);
                    case "inbox" -> uidByServerId.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                    case "sent" -> {
                        long uid = Long.parseLong(f[1]);
                        if (Files.exists(directory.resolve("sent").resolve(Long.toString(uid)))) {
                            sent.entries.put(uid, new Entry(uid, -1, Instant.ofEpochMilli(Long.parseLong(f[2])),
                                    "1".equals(f[3])));
                            if (f.length > 4) {
                                sentMessageIds.put(uid, f[4]);
                            }
                        }
                    }
                    default -> {
                        // comments and unknown lines
                    }
                }
            } catch (RuntimeException e) {
                log.println("cmtp bridge: ignoring a damaged line of " + directory.resolve("state"));
            }
        }
        if (uidValidity == 0) {
            uidValidity = 1;
        }
    }

    private void save() throws IOException {
        StringBuilder text = new StringBuilder("# cmtp bridge: IMAP UIDs of " + session.address() + "\n");
        text.append("uidvalidity ").append(uidValidity).append('\n');
        text.append("inbox-next ").append(inbox.uidNext).append('\n');
        text.append("sent-next ").append(sent.uidNext).append('\n');
        uidByServerId.forEach((id, uid) -> text.append("inbox ").append(id).append(' ').append(uid).append('\n'));
        for (Entry entry : sent.entries.values()) {
            text.append("sent ").append(entry.uid).append(' ').append(entry.internalDate.toEpochMilli()).append(' ')
                    .append(entry.seen ? 1 : 0);
            String id = sentMessageIds.get(entry.uid);
            if (id != null) {
                text.append(' ').append(id);
            }
            text.append('\n');
        }
        Path temporary = Files.createTempFile(directory, ".state", ".tmp",
                PosixFilePermissions.asFileAttribute(KeyFile.OWNER_ONLY));
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, directory.resolve("state"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- folders ------------------------------------------------------------------------

    synchronized long uidValidity() {
        return uidValidity;
    }

    synchronized long version() {
        return version;
    }

    /** INBOX (any case) or Sent; null for any other name. */
    Folder folder(String name) {
        if (name.equalsIgnoreCase(INBOX)) {
            return inbox;
        }
        return name.equals(SENT) ? sent : null;
    }

    synchronized List<Entry> entries(Folder folder) {
        return new ArrayList<>(folder.entries.values());
    }

    synchronized long uidNext(Folder folder) {
        return folder.uidNext;
    }

    synchronized Entry entry(Folder folder, long uid) {
        return folder.entries.get(uid);
    }

    /** Reads the server's list again (at most every {@code minimumMillis}). */
    void sync(long minimumMillis) throws IOException, FailureException {
        synchronized (this) {
            if (System.currentTimeMillis() - lastSync < minimumMillis) {
                return;
            }
        }
        List<JsonObject> listed = new ArrayList<>();
        for (int offset = 0; ; offset += 500) {
            UserApi.Page page = session.api().messages(offset, 500);
            page.messages().forEach(v -> listed.add(v.asJsonObject()));
            if (page.messages().size() < 500 || listed.size() >= page.total()) {
                break;
            }
        }
        listed.sort((a, b) -> Long.compare(a.getJsonNumber("id").longValue(), b.getJsonNumber("id").longValue()));
        synchronized (this) {
            boolean changed = false;
            Map<Long, JsonObject> byId = new LinkedHashMap<>();
            for (JsonObject message : listed) {
                byId.put(message.getJsonNumber("id").longValue(), message);
            }
            // gone from the server (deleted here or elsewhere)
            for (Entry entry : new ArrayList<>(inbox.entries.values())) {
                if (!byId.containsKey(entry.serverId)) {
                    inbox.entries.remove(entry.uid);
                    uidByServerId.remove(entry.serverId);
                    changed = true;
                }
            }
            uidByServerId.keySet().removeIf(id -> !byId.containsKey(id));
            for (JsonObject message : byId.values()) {
                long id = message.getJsonNumber("id").longValue();
                boolean read = message.getBoolean("read", false);
                Long uid = uidByServerId.get(id);
                if (uid == null) {
                    uid = inbox.uidNext++;
                    uidByServerId.put(id, uid);
                    changed = true;
                }
                Entry entry = inbox.entries.get(uid);
                if (entry == null) {
                    entry = new Entry(uid, id, parseInstant(message.getString("received", null)), read);
                    entry.storedSize = message.getJsonNumber("size") == null ? 0
                            : message.getJsonNumber("size").longValue();
                    entry.viaSmtp = message.getBoolean("viaSmtp", false);
                    inbox.entries.put(uid, entry);
                    changed = true;
                } else if (entry.seen != read) {
                    entry.seen = read;
                    changed = true;
                }
            }
            lastSync = System.currentTimeMillis();
            if (changed) {
                save();
                changed();
            }
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return text == null ? Instant.now() : Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    private void changed() {
        version++;
        notifyAll();
    }

    /** Waits until the version differs from {@code seen}, at most {@code millis}. */
    synchronized long awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (version == seen && !closed) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return version;
    }

    // ---- contents -----------------------------------------------------------------------

    /** The MIME form of a message: opened here from the server's sealed bytes, or Sent's own copy. */
    byte[] content(Folder folder, Entry entry) throws IOException, FailureException {
        String key = cacheKey(folder, entry);
        byte[] cached = cached(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<byte[]> pending = loading.get(key);
        if (pending != null) {
            byte[] loaded = pending.join(); // null: the batch did not get it; ask alone below
            if (loaded != null) {
                return loaded;
            }
        }
        byte[] mime = folder == sent ? openSent(entry) : openInbox(entry, session.api().raw(entry.serverId));
        remember(key, entry, mime);
        return mime;
    }

    private static String cacheKey(Folder folder, Entry entry) {
        return folder.name + "/" + entry.uid;
    }

    private byte[] cached(String key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    private byte[] openSent(Entry entry) throws IOException, FailureException {
        byte[] sealed = Files.readAllBytes(directory.resolve("sent").resolve(Long.toString(entry.uid)));
        try {
            return CryptoSystems.forVersion(Message.SEALED).open(sealed, session.keys());
        } catch (CryptoException e) {
            throw new FailureException("the Sent copy " + entry.uid + " does not open: " + e.getMessage());
        }
    }

    private byte[] openInbox(Entry entry, byte[] raw) throws IOException {
        try {
            return BridgeMime.render(ReceivedMail.open(raw, session.keys()), entry.internalDate, entry.viaSmtp);
        } catch (ProtocolException | CryptoException e) {
            return notice(entry, e.getMessage());
        } catch (jakarta.mail.MessagingException e) {
            throw new IOException("message " + entry.serverId + " cannot be made MIME: " + e.getMessage(), e);
        }
    }

    private void remember(String key, Entry entry, byte[] mime) {
        entry.size = mime.length;
        synchronized (cache) {
            byte[] replaced = cache.put(key, mime);
            cachedBytes += mime.length - (replaced == null ? 0 : replaced.length);
            var oldest = cache.entrySet().iterator();
            while (cachedBytes > CACHE_BYTES && oldest.hasNext()) {
                cachedBytes -= oldest.next().getValue().length;
                oldest.remove();
            }
        }
    }

    /** A message that does not open with the key: shown as a short notice saying so, not hidden. */
    private static byte[] notice(Entry entry, String why) {
        return ("From: cmtp-bridge@localhost\r\nSubject: message " + entry.serverId + " cannot be opened\r\n"
                + "Date: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        entry.internalDate.atOffset(java.time.ZoneOffset.UTC))
                + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThe bridge could not open this message with"
                + " your key: " + BridgeMime.clean(why) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Fetches and opens many messages at once, e.g. before a FETCH of sizes or bodies: INBOX
     * in batches of {@value #BATCH} per request, {@value #FETCHERS} requests in flight.
     */
    void prefetch(Folder folder, List<Entry> entries) throws IOException, FailureException {
        List<Entry> wanted = entries.stream().filter(e -> cached(cacheKey(folder, e)) == null).toList();
        List<Future<?>> pending = new ArrayList<>();
        if (folder == sent) {
            for (Entry entry : wanted) {
                pending.add(fetchers.submit(() -> content(folder, entry)));
            }
        } else {
            for (int from = 0; from < wanted.size(); from += BATCH) {
                List<Entry> batch = wanted.subList(from, Math.min(wanted.size(), from + BATCH));
                pending.add(fetchers.submit(() -> {
                    loadBatch(batch);
                    return null;
                }));
            }
        }
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof FailureException f) {
                    throw f;
                }
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(String.valueOf(e.getCause()), e.getCause());
            }
        }
    }

    /**
     * Fetches the sealed bytes of INBOX messages with one request per batch and opens them.
     * Messages another batch is already fetching are left to it; those the server no longer
     * has are left to {@link #content}, which reports them.
     */
    private void loadBatch(List<Entry> batch) throws IOException, FailureException {
        Map<Long, Entry> mine = new LinkedHashMap<>();
        Map<Long, CompletableFuture<byte[]>> futures = new LinkedHashMap<>();
        for (Entry entry : batch) {
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            if (cached(cacheKey(inbox, entry)) == null && loading.putIfAbsent(cacheKey(inbox, entry), future) == null) {
                mine.put(entry.serverId, entry);
                futures.put(entry.serverId, future);
            }
        }
        try {
            List<Long> ids = new ArrayList<>(mine.keySet());
            while (!ids.isEmpty() && !singleRequests) {
                UserApi.RawBatch answer;
                try {
                    answer = session.api().raw(ids);
                } catch (FailureException e) {
                    if (!e.getMessage().contains(" 404")) {
                        throw e;
                    }
                    singleRequests = true; // a server without the batch request
                    break;
                }
                for (Map.Entry<Long, byte[]> raw : answer.messages().entrySet()) {
                    Entry entry = mine.get(raw.getKey());
                    if (entry != null) {
                        byte[] mime = openInbox(entry, raw.getValue());
                        remember(cacheKey(inbox, entry), entry, mime);
                        futures.get(entry.serverId).complete(mime);
                    }
                }
                if (answer.later().size() >= ids.size()) {
                    break; // no progress: left to content()
                }
                ids = answer.later();
            }
        } finally {
            for (Map.Entry<Long, CompletableFuture<byte[]>> claimed : futures.entrySet()) {
                loading.remove(cacheKey(inbox, mine.get(claimed.getKey())));
                claimed.getValue().complete(null); // not got here: content() asks for it alone
            }
        }
    }

    /**
     * Opens the newest messages of INBOX in the background right after sign-in (as many as
     * fill half the cache), so that a mail program's first FETCH finds them ready.
     */
    void openAhead() {
        Thread thread = new Thread(() -> {
            long started = System.nanoTime();
            String cpuBefore = processCpu();
            List<Entry> newest = new ArrayList<>(entries(inbox));
            java.util.Collections.reverse(newest);
            List<Entry> chosen = new ArrayList<>();
            long bytes = 0;
            for (Entry entry : newest) {
                bytes += Math.max(entry.storedSize, 1);
                if (bytes > CACHE_BYTES / 2) {
                    break;
                }
                chosen.add(entry);
            }
            if (chosen.isEmpty()) {
                return;
            }
            try {
                prefetch(inbox, chosen);
                log.printf("cmtp bridge: opened the newest %d messages of INBOX in %.1f s (CPU time of the bridge"
                        + " since it started: %s before, %s after)%n", chosen.size(), (System.nanoTime() - started) / 1e9,
                        cpuBefore, processCpu());
            } catch (IOException | FailureException | RuntimeException e) {
                if (!closed) {
                    log.println("cmtp bridge: opening INBOX ahead stopped (" + e.getMessage()
                            + "); messages are opened when asked for");
                }
            }
        }, "cmtp-bridge-open-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    int size(Folder folder, Entry entry) throws IOException, FailureException {
        return entry.size >= 0 ? entry.size : content(folder, entry).length;
    }

    // ---- changes ------------------------------------------------------------------------

    void setSeen(Folder folder, Entry entry, boolean seen) throws IOException, FailureException {
        if (entry.seen == seen) {
            return;
        }
        if (folder == inbox) {
            session.api().mark(entry.serverId, seen);
        }
        synchronized (this) {
            entry.seen = seen;
            if (folder == sent) {
                save();
            }
            changed();
        }
    }

    synchronized void setDeleted(Entry entry, boolean deleted) {
        if (entry.deleted != deleted) {
            entry.deleted = deleted;
            changed();
        }
    }

    /** Removes every message flagged {@code \Deleted}: on the server for INBOX. */
    void expunge(Folder folder) throws IOException, FailureException {
        for (Entry entry : entries(folder)) {
            if (!entry.deleted) {
                continue;
            }
            if (folder == inbox) {
                try {
                    session.api().delete(entry.serverId);
                } catch (FailureException e) {
                    if (!e.getMessage().contains(" 404")) {
                        throw e;
                    }
                }
            } else {
                Files.deleteIfExists(directory.resolve("sent").resolve(Long.toString(entry.uid)));
            }
            synchronized (this) {
                folder.entries.remove(entry.uid);
                if (folder == inbox) {
                    uidByServerId.remove(entry.serverId);
                } else {
                    sentMessageIds.remove(entry.uid);
                }
                synchronized (cache) {
                    byte[] dropped = cache.remove(folder.name + "/" + entry.uid);
                    cachedBytes -= dropped == null ? 0 : dropped.length;
                }
                save();
                changed();
            }
        }
    }

    /**
     * Keeps a message sent through the bridge in Sent, sealed to the account's own key; a
     * second copy with the same Message-ID (a mail program saving what it sent) is not added.
     *
     * @return the UID in Sent
     */
    synchronized long addSent(byte[] mime, String messageId, boolean seen) throws IOException {
        String id = messageId == null ? null : messageId.strip().replaceAll("\\s", "");
        if (id != null && !id.isEmpty()) {
            for (Map.Entry<Long, String> known : sentMessageIds.entrySet()) {
                if (known.getValue().equals(id)) {
                    return known.getKey();
                }
            }
        }
        long uid = sent.uidNext++;
        byte[] sealed = CryptoSystems.forVersion(Message.SEALED).seal(mime, session.keys().publicKey());
        Path file = directory.resolve("sent").resolve(Long.toString(uid));
        Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(KeyFile.OWNER_ONLY)), sealed);
        Entry entry = new Entry(uid, -1, Instant.now(), seen);
        entry.size = mime.length;
        sent.entries.put(uid, entry);
        if (id != null && !id.isEmpty()) {
            sentMessageIds.put(uid, id);
        }
        save();
        changed();
        return uid;
    }

    // ---- new mail -----------------------------------------------------------------------

    /** Starts the long poll on the user API's wait: new mail shows within seconds. */
    void startWatching() {
        poller = new Thread(this::watch, "cmtp-bridge-wait");
        poller.setDaemon(true);
        poller.start();
    }

    private void watch() {
        long backoff = 1000;
        while (!closed) {
            try {
                long after;
                synchronized (this) {
                    after = uidByServerId.isEmpty() ? 0 : uidByServerId.lastKey();
                }
                List<JsonValue> arrived = session.api().waitForMail(after, 25);
                if (!arrived.isEmpty()) {
                    sync(0);
                }
                backoff = 1000;
            } catch (IOException | FailureException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.println("cmtp bridge: waiting for new mail failed (" + e.getMessage() + "); again in "
                        + backoff / 1000 + " s");
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 60_000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            poller.interrupt();
        }
        fetchers.shutdownNow();
        synchronized (this) {
            notifyAll();
        }
    }

    /** The CPU time this process has used so far, "N.N s", or "?" where the JVM does not tell it. */
    private static String processCpu() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
            return String.format(Locale.ROOT, "%.1f s", os.getProcessCpuTime() / 1e9);
        }
        return "?";
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
