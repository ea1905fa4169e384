package org.cmtp.it.support;

import java.io.IOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a running server's used heap from its own Prometheus metrics ({@code /metrics},
 * MicroProfile Metrics' base {@code memory_usedHeap_bytes}) every 200 ms on a background
 * thread and keeps the peak: how a test sees that the heap stays bounded under an attack.
 */
public final class HeapWatch implements AutoCloseable {

    private static final Pattern USED_HEAP = Pattern.compile("(?m)^(?:base_)?memory_usedHeap_bytes(?:\\{[^}]*\\})? (\\S+)$");

    private final AdminClient metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;
    private volatile int samples;
    private volatile String lastError;

    private HeapWatch(URI http) {
        metrics = AdminClient.anonymous(http);
        thread = new Thread(this::watch, "heap-watch");
        thread.setDaemon(true);
    }

    public static HeapWatch start(URI http) {
        HeapWatch watch = new HeapWatch(http);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        while (running) {
            try {
                Matcher used = USED_HEAP.matcher(metrics.get("/metrics").body());
                if (used.find()) {
                    peak = Math.max(peak, (long) Double.parseDouble(used.group(1)));
                    samples++;
                } else {
                    lastError = "no memory_usedHeap_bytes in /metrics";
                }
                Thread.sleep(200);
            } catch (IOException e) {
                lastError = e.toString(); // a busy server may miss a sample; the count shows it
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The used heap of the server JVM {@code pid} right after a full collection ({@code jcmd PID GC.run}, then
     * its metrics): what the server really holds, without the garbage G1 lets pile up until its next cycle.
     */
    public static long usedAfterGc(long pid, URI http) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        String output = new String(gc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (gc.waitFor() != 0) {
            throw new IOException("jcmd " + pid + " GC.run failed: " + output);
        }
        Matcher used = USED_HEAP.matcher(AdminClient.anonymous(http).get("/metrics").body());
        if (!used.find()) {
            throw new IOException("no memory_usedHeap_bytes in /metrics");
        }
        return (long) Double.parseDouble(used.group(1));
    }

    public long peakUsedBytes() {
        return peak;
    }

    public int samples() {
        return samples;
    }

    /** Why the last sample failed, if one did: shown when too few samples were taken. */
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
