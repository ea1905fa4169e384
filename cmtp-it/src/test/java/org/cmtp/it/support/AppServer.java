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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A full application server (WildFly, Payara Server) unpacked from its distribution zip
 * in {@code target/servers}, driven the way an operator would: its own start script and
 * command-line tool, the server's settings as {@code CMTP_*} environment variables.
 * Every command's output goes to one log file, and each phase is timed.
 */
public abstract class AppServer implements AutoCloseable {

    protected static final Duration BOOT = Duration.ofSeconds(300);

    protected final Path home;
    protected final Path work;
    protected final Path log;
    protected final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private final List<Process> started = new ArrayList<>();

    protected AppServer(Path home, Path work, int cmtpPort, String domain, String adminPassword) throws IOException {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException(home + " is not there: run with the Maven profile that unpacks it");
        }
        this.home = home;
        this.work = work;
        deleteTree(work);
        Files.createDirectories(work);
        this.log = work.resolve("server-commands.log");
        environment.put("CMTP_BIND", "127.0.0.1");
        environment.put("CMTP_PORT", Integer.toString(cmtpPort));
        environment.put("CMTP_DOMAIN", domain);
        environment.put("CMTP_ADMIN_PASSWORD", adminPassword);
        // no DNS query leaves the machine
        environment.put("CMTP_DNS_SERVERS", "127.0.0.1:9");
    }

    /** Starts the server and waits until it takes commands. */
    public abstract void start() throws Exception;

    /**
     * Sets the server up as the README tells an operator: the data source jdbc/cmtp (H2 in
     * this run's work directory) and whatever else the server needs before the deployment.
     */
    public abstract void configure() throws Exception;

    /** Deploys the EAR under its file name {@code cmtp.ear} (the descriptors rely on it). */
    public abstract void deploy(Path ear) throws Exception;

    /** Undeploys what {@link #deploy} deployed; the data source and its data stay. */
    public abstract void undeploy() throws Exception;

    /** Stops the server and waits for it to be gone. */
    public abstract void stop() throws Exception;

    /** The application's HTTP port: the admin API. */
    public abstract URI http();

    /** Where the server serves MicroProfile Health ({@code /health/*}) and Prometheus {@code /metrics}. */
    public abstract URI monitoring();

    /** The server's own log, for assertions on what it logged. */
    public abstract Path serverLog();

    public Path h2File() {
        return work.resolve("data").resolve("cmtp");
    }

    /** Runs {@code what} and records how long it took under {@code phase}. */
    public void timed(String phase, ThrowingRunnable what) throws Exception {
        long start = System.nanoTime();
        try {
            what.run();
        } finally {
            phases.put(phase, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** "boot 12.3 s, data source 4.0 s, …": what the report and the CI decision need. */
    public String timings() {
        StringBuilder text = new StringBuilder();
        Duration total = Duration.ZERO;
        for (Map.Entry<String, Duration> phase : phases.entrySet()) {
            text.append(phase.getKey()).append(' ').append(seconds(phase.getValue())).append(" s, ");
            total = total.plus(phase.getValue());
        }
        return text.append("total ").append(seconds(total)).append(" s").toString();
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    /** Runs a command to its end (within {@code timeout}); fails with the log's tail when it exits non-zero. */
    protected void run(Duration timeout, String... command) throws IOException, InterruptedException {
        Process process = launch(command);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout + "\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                    + "\n" + tail(log));
        }
    }

    /** Starts a command in the background, its output appended to the log. */
    protected Process launch(String... command) throws IOException {
        Files.writeString(log, "\n$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Waits until the file exists and contains one of the texts; returns the one found. */
    protected static String awaitText(Path file, Duration timeout, String... texts) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(file)) {
                String content = Files.readString(file, StandardCharsets.ISO_8859_1);
                for (String text : texts) {
                    if (content.contains(text)) {
                        return text;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(file + " shows none of " + List.of(texts) + " after " + timeout + "\n" + tail(file));
    }

    /** Waits until something accepts TCP connections on the port. */
    public static void awaitPort(String host, int port, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("nothing listens on " + host + ":" + port + " after " + timeout);
    }

    protected static String tail(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.ISO_8859_1);
            return content.substring(Math.max(0, content.length() - 6000));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    /** Stops the server if a test left it running, then ends whatever this harness started and is still alive. */
    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            for (Process process : started) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    protected static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
