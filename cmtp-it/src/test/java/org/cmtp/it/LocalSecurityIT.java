package org.cmtp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.cmtp.it.support.AdminClient;
import org.cmtp.it.support.LaunchedServer;
import org.cmtp.it.support.LaunchedServers;
import org.cmtp.it.support.MailBytes;
import org.cmtp.it.support.PostgresDatabases;
import org.cmtp.it.support.RawCmtpConnection;
import org.cmtp.it.support.TestHttp;
import org.cmtp.sodium.Libsodium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks from this machine and from the next network, against a server started as an
 * operator starts it ({@code ./cmtp-server}, new data directory, generated admin
 * password): a stranger writing as one of our users, other local users reading the
 * server's key and passwords, the generated admin password left in the log, and a
 * password-guessing burst against the admin API. The trusted client is 127.0.0.1
 * ({@code CMTP_RELAY_NETWORKS=127.0.0.1/32}); 127.0.0.61 to .63 play outsiders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalSecurityIT {

    @RegisterExtension
    static final LaunchedServers servers = new LaunchedServers();

    private static final String DOMAIN = "local.test";
    private static final String OUTSIDER = "127.0.0.61";
    private static final String GUESSER = "127.0.0.62";
    private static final String MEASURER = "127.0.0.63";
    private static final int ALLOWED_FAILURES = 5;

    private LaunchedServer server;
    private Path data;
    private byte[] serverKey;
    private AdminClient admin;
    /** What the first start left, seen before anyone signed in. */
    private String logAtStart;
    private Optional<String> passwordFileModeAtStart;
    private String generatedPassword;

    @BeforeAll
    void startAsAnOperatorWould() throws Exception {
        server = servers.newServer("local-security", DOMAIN, null) // no password: one is generated
                .with("CMTP_RELAY_NETWORKS", "127.0.0.1/32")
                .with("CMTP_ADMIN_LOGIN_FAILURES", Integer.toString(ALLOWED_FAILURES))
                .with("CMTP_ADMIN_LOCKOUT", "3600"); // outlasts the test: no waiting on a clock
        data = server.dataDir();
        servers.start(server);
        logAtStart = server.log();
        Path passwordFile = data.resolve("admin-password");
        passwordFileModeAtStart = Files.exists(passwordFile) ? Optional.of(mode(passwordFile)) : Optional.empty();
        generatedPassword = passwordFileModeAtStart.isPresent() ? Files.readString(passwordFile).trim() : null;
        assertTrue(generatedPassword != null && generatedPassword.length() >= 12,
                "the generated password is in " + passwordFile + "; log:\n" + logAtStart);
        admin = new AdminClient(server.http(), "admin", generatedPassword);
        serverKey = HexFormat.of().parseHex(admin.get("/api/server").json().asJsonObject().getString("publicKey"));
        admin.createAccount("bob", "bob's password, long enough");
    }

    // --- item 5: nobody outside speaks for our users ---

    @Test
    void aStrangerCannotWriteAsOneOfOurUsersOrAsTheServer() throws Exception {
        int before = messages("bob").size();
        assertEquals("DELIVERYFAILURE", mailFrom(OUTSIDER, "alice", DOMAIN), "our domain as the source, from outside");
        assertEquals("DELIVERYFAILURE", mailFrom(OUTSIDER, "alice", "Local.TEST."), "in any spelling of our domain");
        assertEquals("DELIVERYFAILURE", mailFrom(OUTSIDER, "", DOMAIN), "nor as the server's own notices");
        assertEquals(before, messages("bob").size(), "nothing of it was stored");

        assertEquals("SUCCESS", mailFrom(OUTSIDER, "dave", "outside.test"), "a stranger writing as himself is welcome");
        assertEquals("SUCCESS", mailFrom("127.0.0.1", "alice", DOMAIN), "our trusted client may write as our user");
        List<String> senders = messages("bob").stream().map(m -> m.asJsonObject().getString("sender")).toList();
        assertEquals(List.of("alice@local.test", "dave@outside.test"), senders.subList(0, 2));
        assertEquals(before + 2, senders.size());
    }

    /** Sends one MAIL to bob from a connection whose source address is {@code client}; the signed word it got. */
    private String mailFrom(String client, String sourceAccount, String sourceDomain) throws IOException {
        MailBytes mail = MailBytes.to("bob", DOMAIN).from(sourceAccount, sourceDomain).body(new byte[40]);
        try (RawCmtpConnection cmtp = new RawCmtpConnection(socketFrom(client, server.cmtpPort()))) {
            cmtp.readText(); // banner
            cmtp.send(mail.command());
            return signedStatus(cmtp, Libsodium.genericHash(64, mail.message()));
        }
    }

    /** Reads a signed status reply of any word and checks the server's signature over word and context. */
    private String signedStatus(RawCmtpConnection cmtp, byte[] context) throws IOException {
        assertEquals(0, ByteBuffer.wrap(cmtp.read(4)).getInt(), "a status reply");
        String wordWithNul = cmtp.readText();
        byte[] signature = cmtp.read(64);
        assertEquals(0, cmtp.read(1)[0]);
        byte[] word = wordWithNul.getBytes(StandardCharsets.US_ASCII);
        assertTrue(Libsodium.verifyDetached(signature, MailBytes.concat(word, context), serverKey),
                "signed by the server");
        return wordWithNul.substring(0, wordWithNul.length() - 1);
    }

    private JsonArray messages(String account) throws IOException {
        return admin.get("/api/accounts/" + account + "/messages").json().asJsonArray();
    }

    // --- item 8c: owner-only files ---

    @Test
    void theDataTheServerKeyAndThePostBootFileAreTheServersAlone() throws Exception {
        assertEquals("rwx------", mode(data), "the data directory");
        assertEquals("rw-------", mode(data.resolve(databaseFile())), "the H2 database, which holds the server's secret key");
        assertEquals("rw-------", mode(data.resolve("payara-post-boot.asadmin")), "the post-boot file (database password)");
        if (!PostgresDatabases.enabled()) { // with CMTP_DB_URL the launcher keeps bodies in the database: no directory
            assertEquals("rwx------", mode(data.resolve("bodies")), "the body directory");
        }
        Map<String, String> open = new TreeMap<>();
        try (Stream<Path> all = Files.walk(data)) {
            all.forEach(p -> {
                String mode = mode(p);
                // (the marker of -Ppostgresql is the test's own file, not the server's)
                if (!mode.endsWith("------") && !p.getFileName().toString().equals(".postgresql-database")) {
                    open.put(data.relativize(p).toString(), mode);
                }
            });
        }
        assertEquals(Map.of(), open, "nothing under the data directory is open to others");
        Path runtime = payaraRuntimeDirectory();
        assertEquals("rwx------", mode(runtime), "Payara Micro's runtime directory " + runtime
                + " (it keeps a copy of the data source settings)");
    }

    /** The H2 file of the database (cmtp.mv.db); under -Ppostgresql there is none, the test then checks the rest. */
    private String databaseFile() throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mv.db")).findFirst()
                    .orElse("payara-pre-boot.asadmin");
        }
    }

    /** The temporary directory Payara Micro unpacked itself into: the server process has its jars open there. */
    private Path payaraRuntimeDirectory() throws IOException {
        long pid = server.pid();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    for (Path p = target; p != null; p = p.getParent()) {
                        if (p.getFileName() != null && p.getFileName().toString().startsWith("payaramicro-rt")) {
                            return p;
                        }
                    }
                } catch (IOException e) {
                    // a descriptor closed meanwhile
                }
            }
        }
        throw new AssertionError("no open file of process " + pid + " in a payaramicro-rt directory");
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new AssertionError("cannot read the mode of " + path, e);
        }
    }

    // --- item 8d: the generated admin password is not in the log ---

    @Test
    void theGeneratedAdminPasswordIsHandedOverInAnOwnerOnlyFileNotInTheLog() {
        assertTrue(logAtStart.contains("CMTP admin password generated and written to " + data.resolve("admin-password")),
                "the log says where it is");
        assertEquals(Optional.of("rw-------"), passwordFileModeAtStart);
        assertFalse(logAtStart.contains(generatedPassword), "the password itself is not in the log");
        assertFalse(Files.exists(data.resolve("admin-password")), "the file is gone after the first sign-in with it");
    }

    // --- item 8a: the admin lockout holds against a burst and costs no CPU once locked ---

    @Test
    void aBurstOfGuessesGetsOnlyTheAllowedChecksThenNoneAndBurnsNoCpu() throws Exception {
        // What one password check costs this server, from an address of its own (fewer than the allowed failures).
        long cpuBefore = serverCpuMillis();
        for (int i = 0; i < ALLOWED_FAILURES - 1; i++) {
            assertEquals(401, adminStatus(MEASURER, "measuring guess " + i));
        }
        long cpuPerCheck = (serverCpuMillis() - cpuBefore) / (ALLOWED_FAILURES - 1);

        // 30 guesses at once from one address: only the allowed number may reach the password check.
        int burst = 30;
        ExecutorService pool = Executors.newFixedThreadPool(burst);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < burst; i++) {
                int n = i;
                statuses.add(pool.submit(() -> adminStatus(GUESSER, "parallel guess " + n)));
            }
            int checked = 0;
            int refused = 0;
            for (Future<Integer> status : statuses) {
                int code = status.get(120, TimeUnit.SECONDS);
                checked += code == 401 ? 1 : 0;
                refused += code == 429 ? 1 : 0;
            }
            assertEquals(ALLOWED_FAILURES, checked, "only " + ALLOWED_FAILURES + " guesses of the burst were checked");
            assertEquals(burst - ALLOWED_FAILURES, refused, "the others were refused (429)");
        } finally {
            pool.shutdownNow();
        }

        // Locked out: every further request is refused before any password check, so it costs next to nothing.
        for (int i = 0; i < 20; i++) { // first compiled by the JIT, which costs CPU of its own
            assertEquals(429, adminStatus(GUESSER, "warming up " + i));
        }
        int more = 40;
        long cpuLocked = serverCpuMillis();
        for (int i = 0; i < more; i++) {
            assertEquals(429, adminStatus(GUESSER, i == more - 1 ? generatedPassword : "sequential guess " + i),
                    "locked out, even with the right password");
        }
        long spent = serverCpuMillis() - cpuLocked;
        System.out.println("LocalSecurityIT: one password check cost the server about " + cpuPerCheck + " ms of CPU; "
                + more + " requests while locked out cost " + spent + " ms");
        assertTrue(spent < more * cpuPerCheck / 2, "while locked out the server spent " + spent + " ms of CPU on "
                + more + " requests; one password check costs it about " + cpuPerCheck + " ms");

        assertEquals(200, adminStatus("127.0.0.1", generatedPassword), "the administrator's own address is not locked");
    }

    /** GET /api/server with Basic credentials admin:{@code password} from source address {@code client}: the status. */
    private int adminStatus(String client, String password) throws IOException {
        try (Socket plain = socketFrom(client, server.httpPort());
             javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) TestHttp.trustingEveryCertificate()
                     .getSocketFactory().createSocket(plain, "127.0.0.1", server.httpPort(), true)) {
            socket.startHandshake(); // the HTTP port serves HTTPS
            String credentials = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/server HTTP/1.1\r\nHost: 127.0.0.1:" + server.httpPort() + "\r\nAuthorization: Basic "
                    + credentials + "\r\nX-Requested-By: cmtp\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** User plus system CPU time of the server process so far (Linux: /proc/PID/stat, in clock ticks of 10 ms). */
    private long serverCpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + server.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // utime, stime (fields 14 and 15)
    }

    private static Socket socketFrom(String client, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(client, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(60_000);
        return socket;
    }
}
