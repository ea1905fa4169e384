package org.cmtp.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server started exactly as the README tells an operator: {@code ./cmtp-server}
 * with {@code CMTP_*} environment variables, in its own process, its output in a log
 * file. Used for what Arquillian cannot do: restarts, {@code kill -9}, two instances.
 */
public final class LaunchedServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(240);

    private final Map<String, String> environment;
    private final Path log;
    private Path launcher = repository().resolve("cmtp-server");
    private Path workingDirectory = repository();
    private Process process;
    private long logOffset;

    public LaunchedServer(String bind, int cmtpPort, int httpPort, Path dataDir, String domain, String adminPassword) {
        environment = new HashMap<>();
        environment.put("CMTP_BIND", bind);
        environment.put("CMTP_PORT", Integer.toString(cmtpPort));
        environment.put("CMTP_HTTP_PORT", Integer.toString(httpPort));
        environment.put("CMTP_DATA_DIR", dataDir.toString());
        environment.put("CMTP_DOMAIN", domain);
        environment.put("CMTP_JAVA_OPTS", "-Xmx512m");
        // Tests talk to loopback only: no DNS query may leave the machine (tests that need
        // DNS run a server on loopback and set this again).
        environment.put("CMTP_DNS_SERVERS", "127.0.0.1:9");
        // The build under test is already packaged; the launcher must not rebuild it.
        environment.put("CMTP_NO_BUILD", "1");
        if (adminPassword != null) {
            environment.put("CMTP_ADMIN_PASSWORD", adminPassword);
        }
        log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /**
     * An empty data directory {@code name} beside {@code it.data.dir} (what an earlier run
     * left there is deleted), for a server that must start as a new installation.
     */
    public static Path freshDataDir(String name) throws IOException {
        Path dir = Path.of(System.getProperty("it.data.dir", "target/it-data")).resolveSibling(name);
        Directories.delete(dir);
        return dir;
    }

    /** Sets one more environment variable of the server, before {@link #start()}. */
    public LaunchedServer with(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** Leaves an environment variable of the server unset (also one the test's JVM has), before {@link #start()}. */
    public LaunchedServer without(String variable) {
        environment.put(variable, null);
        return this;
    }

    /**
     * Runs {@code cmtp-server} of an unpacked release archive instead of the checkout's, in
     * {@code workingDirectory}, as an operator who unpacked it there would.
     */
    public LaunchedServer launcher(Path script, Path workingDirectory) {
        this.launcher = script;
        this.workingDirectory = workingDirectory;
        return this;
    }

    /** The server's environment variables as set here (a null value: left unset), e.g. for {@code cmtp-server backup}. */
    public Map<String, String> environment() {
        return new HashMap<>(environment);
    }

    public Path dataDir() {
        return Path.of(environment.get("CMTP_DATA_DIR"));
    }

    /** Waits until the server's log since start shows {@code text} {@code times} times. */
    public void awaitLog(String text, int times, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (log().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the log did not show '" + text + "' " + times + " times within " + timeout
                + "; log:\n" + log());
    }

    /**
     * Under {@code -Ppostgresql}: the server's own PostgreSQL database, named after its data
     * directory and made fresh together with it (a marker file in the data directory says it
     * was made), so a restart on the same data directory keeps its data.
     */
    private void usePostgresDatabase() throws IOException {
        if (!PostgresDatabases.enabled() || environment.containsKey("CMTP_DB_URL")) {
            return;
        }
        Path dataDir = dataDir();
        String database = PostgresDatabases.name(dataDir.getFileName().toString());
        Path marker = dataDir.resolve(".postgresql-database");
        if (!Files.exists(marker)) {
            try {
                PostgresDatabases.recreate(database);
            } catch (java.sql.SQLException e) {
                throw new IOException("cannot create the PostgreSQL database " + database + ": " + e.getMessage(), e);
            }
            Files.createDirectories(dataDir);
            Files.writeString(marker, database + "\n");
        }
        environment.put("CMTP_DB_URL", PostgresDatabases.serverUrl() + database);
        environment.put("CMTP_DB_USER", PostgresDatabases.user());
    }

    /** Starts the server and waits until both its CMTP port and its HTTP port answer. */
    public LaunchedServer start() throws IOException, InterruptedException {
        usePostgresDatabase();
        Files.createDirectories(log.getParent());
        logOffset = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(launcher.toString())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("CMTP_ADMIN_PASSWORD");
        environment.forEach((variable, value) -> {
            if (value == null) {
                builder.environment().remove(variable);
            } else {
                builder.environment().put(variable, value);
            }
        });
        process = builder.start();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("cmtp-server exited with " + process.exitValue() + "; log:\n" + log());
            }
            if (listening(cmtpPort()) && listening(httpPort()) && log().contains("Payara Micro") && log().contains("ready in")) {
                return this;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("cmtp-server did not start within " + STARTUP + "; log:\n" + log());
    }

    /** The server JVM's process id (the launcher script execs java). */
    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}: the JVM gets no chance to flush or close anything. */
    public void kill() throws InterruptedException {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What the server printed since this {@link #start()}. */
    public String log() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(logOffset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** The server's name in reports: its data directory's. */
    public String name() {
        return dataDir().getFileName().toString();
    }

    /** The last {@code lines} lines of the server's log file (all its starts), or why it cannot be read. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log yet: " + log + ")";
            }
            String[] all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n");
            return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    public String host() {
        return environment.get("CMTP_BIND");
    }

    public int cmtpPort() {
        return Integer.parseInt(environment.get("CMTP_PORT"));
    }

    public int httpPort() {
        return Integer.parseInt(environment.get("CMTP_HTTP_PORT"));
    }

    /** The HTTP port's base URL: HTTPS, with the certificate the server made on its first start. */
    public URI http() {
        return URI.create("https://" + host() + ":" + httpPort() + "/");
    }

    /** The plain HTTP listener's base URL; only when {@code CMTP_PLAIN_HTTP_PORT} was set. */
    public URI plainHttp() {
        String port = environment.get("CMTP_PLAIN_HTTP_PORT");
        if (port == null) {
            throw new IllegalStateException("this server has no plain HTTP port: set CMTP_PLAIN_HTTP_PORT");
        }
        return URI.create("http://" + host() + ":" + port + "/");
    }

    /** The admin API as {@code admin} with the password the server was started with. */
    public AdminClient admin() {
        return new AdminClient(http(), "admin", environment.get("CMTP_ADMIN_PASSWORD"));
    }

    /** The server's public signing key, as its admin API shows it. */
    public byte[] serverKey() throws IOException {
        return java.util.HexFormat.of().parseHex(admin().get("/api/server").json().asJsonObject().getString("publicKey"));
    }

    /**
     * Waits until the relay worker has finished {@code rounds} more rounds (one starts every
     * 5 s), as the readiness probe's {@code relay-worker} check reports them: for "nothing
     * more happens" checks, which must give the worker its chance to do the wrong thing.
     */
    public void awaitRelayRounds(int rounds, Duration timeout) throws IOException, InterruptedException {
        java.util.Set<String> seen = new java.util.HashSet<>(java.util.Set.of(relayWorkerLastRun()));
        Instant deadline = Instant.now().plus(timeout);
        while (seen.size() <= rounds) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the relay worker finished " + (seen.size() - 1) + " of " + rounds
                        + " rounds within " + timeout + " (last run " + relayWorkerLastRun() + ")");
            }
            Thread.sleep(250);
            seen.add(relayWorkerLastRun());
        }
    }

    /** The relay worker's last finished round, from /health/ready (served with any status). */
    private String relayWorkerLastRun() throws IOException {
        AdminClient.Reply ready = AdminClient.anonymous(http()).get("/health/ready");
        return ready.json().asJsonObject().getJsonArray("checks").stream().map(check -> check.asJsonObject())
                .filter(check -> check.getString("name").equals("relay-worker"))
                .map(check -> check.getJsonObject("data").getString("lastRun"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no relay-worker check in " + ready.body()));
    }

    /** CMTP connections the server has open now, as its admin API's stats count them. */
    public long openConnections() throws IOException {
        return admin().get("/api/stats").json().asJsonObject().getJsonNumber("openConnections").longValue();
    }

    /**
     * Waits until the server's count of open CMTP connections satisfies {@code condition}
     * (e.g. the clients a test opened are all accepted, or all closed again).
     */
    public void awaitOpenConnections(java.util.function.LongPredicate condition, String what, Duration timeout)
            throws InterruptedException {
        Await.until(() -> {
            try {
                return condition.test(openConnections());
            } catch (IOException e) {
                return false;
            }
        }, timeout, what);
    }

    public RawCmtpConnection connect() throws IOException {
        return new RawCmtpConnection(host(), cmtpPort());
    }

    private boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path repository() {
        return Path.of(System.getProperty("it.repo.dir", "..")).toAbsolutePath().normalize();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
