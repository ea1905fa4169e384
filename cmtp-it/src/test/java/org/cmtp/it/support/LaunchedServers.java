package org.cmtp.it.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The servers an IT class launches with {@code ./cmtp-server}, and what must close with
 * them (a DNS server, a proxy). One place for what every such IT needs:
 * <ul>
 * <li>free ports and a fresh data directory per server ({@link #newServer});</li>
 * <li>several servers started side by side ({@link #start}), each start ~10 s;</li>
 * <li>everything closed in reverse order even when set-up fails half-way: what a
 *     {@code @BeforeAll} made closes after the class, what a test made after that test;</li>
 * <li>on any failure, the last lines of every server's log attached to the error, so a
 *     CI report shows what the servers said.</li>
 * </ul>
 * Register it as {@code @RegisterExtension static final LaunchedServers servers = new LaunchedServers();}.
 */
public final class LaunchedServers implements BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    private static final int LOG_TAIL_LINES = 60;

    /** What closes after the class (made outside a test), in the order made. */
    private final List<AutoCloseable> ofClass = Collections.synchronizedList(new ArrayList<>());
    /** What closes after the current test (made inside it). */
    private final List<AutoCloseable> ofTest = Collections.synchronizedList(new ArrayList<>());
    /** Every server made, for the logs shown on failure. */
    private final List<LaunchedServer> launched = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean inTest;

    /**
     * A new server on 127.0.0.1 with two free ports and an empty data directory {@code name}
     * (also the name of its log file and, under {@code -Ppostgresql}, of its database); not started.
     */
    public LaunchedServer newServer(String name, String domain, String adminPassword) throws IOException {
        return newServer(name, "127.0.0.1", FreePorts.take(), domain, adminPassword);
    }

    /** A new server on {@code bind}:{@code cmtpPort} (e.g. domains that share the MX port), a free HTTP port; not started. */
    public LaunchedServer newServer(String name, String bind, int cmtpPort, String domain, String adminPassword)
            throws IOException {
        LaunchedServer server = new LaunchedServer(bind, cmtpPort, FreePorts.take(), LaunchedServer.freshDataDir(name),
                domain, adminPassword);
        launched.add(server);
        return manage(server);
    }

    /** Closes {@code resource} with the servers: after the test if made in one, else after the class. */
    public <T extends AutoCloseable> T manage(T resource) {
        (inTest ? ofTest : ofClass).add(resource);
        return resource;
    }

    /** Starts the servers side by side and returns when all are ready; the first failure is thrown. */
    public void start(LaunchedServer... servers) throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(servers.length);
        try {
            List<Future<LaunchedServer>> starts = new ArrayList<>();
            for (LaunchedServer server : servers) {
                starts.add(starter.submit(server::start));
            }
            for (Future<LaunchedServer> start : starts) {
                try {
                    start.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            starter.shutdownNow();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        inTest = false;
        closeAll(ofTest);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        closeAll(ofClass);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withLogs(failure);
    }

    /** The failure with each server's last log lines attached (as suppressed exceptions, which reports print). */
    private Throwable withLogs(Throwable failure) {
        List<LaunchedServer> servers;
        synchronized (launched) {
            servers = new ArrayList<>(launched);
        }
        for (LaunchedServer server : servers) {
            failure.addSuppressed(new ServerLog(server));
        }
        return failure;
    }

    private static void closeAll(List<AutoCloseable> resources) throws Exception {
        List<AutoCloseable> reversed;
        synchronized (resources) {
            reversed = new ArrayList<>(resources);
            resources.clear();
        }
        Collections.reverse(reversed);
        Exception first = null;
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The tail of one server's log, shown under a failed test. */
    private static final class ServerLog extends Exception {

        private static final long serialVersionUID = 1L;

        ServerLog(LaunchedServer server) {
            super("last lines of the log of " + server.name() + " (" + server.host() + ":" + server.cmtpPort() + "):\n"
                    + server.logTail(LOG_TAIL_LINES), null, false, false);
        }
    }
}
