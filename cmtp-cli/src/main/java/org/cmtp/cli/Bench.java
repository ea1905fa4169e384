package org.cmtp.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.cmtp.client.CmtpClient;
import org.cmtp.client.CmtpClientException;
import org.cmtp.client.MailSender;
import org.cmtp.client.OutgoingMail;
import org.cmtp.protocol.ProofOfWork;
import org.cmtp.crypto.Blake2b;
import org.cmtp.message.MailAddress;
import org.cmtp.message.Message;
import org.cmtp.message.PlaintextBody;
import org.cmtp.protocol.SignedStatus;
import org.cmtp.protocol.StatusWord;

/**
 * {@code cmtp bench}: a load generator in the spirit of Postfix's smtp-source. N
 * connections send M messages of S bytes in total, as fast as the server answers; every
 * receipt is verified. Each connection builds its message once (sealed to the recipient's
 * key when the server has one, else a version-0 message), so the client's own crypto does
 * not dominate the measurement on a small machine.
 */
final class Bench {

    record Result(int messages, int bytesPerMessage, int connections, Duration elapsed, long[] latenciesNanos,
                  Map<StatusWord, Integer> statuses, List<String> errors) {

        double messagesPerSecond() {
            return latenciesNanos.length / seconds();
        }

        double megabytesPerSecond() {
            return (double) latenciesNanos.length * bytesPerMessage / 1_000_000.0 / seconds();
        }

        private double seconds() {
            return Math.max(elapsed.toNanos(), 1) / 1e9;
        }

        /** The summary line: counts, rates and latency percentiles. */
        String summary() {
            StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "bench: %d messages of %d bytes over %d connections in %.2f s: %.1f messages/s, %.2f MB/s, "
                            + "latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms",
                    latenciesNanos.length, bytesPerMessage, connections, seconds(), messagesPerSecond(),
                    megabytesPerSecond(), percentileMillis(latenciesNanos, 50), percentileMillis(latenciesNanos, 90),
                    percentileMillis(latenciesNanos, 99)));
            statuses.forEach((status, count) -> line.append(", ").append(status).append(' ').append(count));
            if (!errors.isEmpty()) {
                line.append(", ").append(errors.size()).append(" connection(s) failed");
            }
            return line.toString();
        }
    }

    private Bench() {
    }

    /** Nearest-rank percentile of the latencies, in milliseconds (0 when there are none). */
    static double percentileMillis(long[] latenciesNanos, int percentile) {
        if (latenciesNanos.length == 0) {
            return 0;
        }
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
    }

    /** What each timed operation is. */
    enum Mode {
        /** MAIL of one message; its latency is from sending MAIL to the checked receipt. */
        MAIL,
        /** KEYREQUEST for the recipient; its latency is from sending it to the checked key. */
        KEYREQUEST
    }

    /**
     * @param perConnection operations per connection before it is closed and a new one opened
     *                      (0: one connection for the whole run). With a limit, the latency of
     *                      the first operation on each connection includes the connect and the
     *                      greeting, as for a client that opens a connection per message.
     * @param warmUp        operations done first, the same way but neither timed nor counted, so
     *                      that the measurement sees this JVM's compiled code and not its
     *                      interpreter (the server may still have to be warmed up separately)
     */
    static Result run(ServerAddress server, Duration timeout, byte[] pinnedKey, int connections, int messages,
                      int size, MailAddress to, Mode mode, int perConnection, int warmUp, PrintStream err)
            throws FailureException, InterruptedException {
        byte[] serverKey;
        Optional<byte[]> recipientKey;
        try (CmtpClient probe = CmtpClient.connect(server.resolve(), timeout, timeout)) {
            serverKey = Cli.checkServerKey(probe, pinnedKey);
            recipientKey = probe.keyRequest(to, serverKey);
            probe.quit();
        } catch (CmtpClientException e) {
            throw new FailureException(e.getMessage(), e);
        }
        if (recipientKey.isEmpty()) {
            if (mode == Mode.KEYREQUEST) {
                throw new FailureException(server + " has no key for " + to + ": nothing to benchmark");
            }
            err.println("cmtp: bench: no key for " + to + "; sending unsealed (version 0) messages");
        }
        Load load = new Load(server, timeout, serverKey, recipientKey, to, size, mode, perConnection);
        if (warmUp > 0) {
            Result warm = load.run(connections, warmUp);
            if (!warm.errors().isEmpty()) {
                warm.errors().forEach(error -> err.println("cmtp: bench: warm-up: " + error));
                throw new FailureException("the warm-up failed: " + warm.errors().get(0));
            }
        }
        Result result = load.run(connections, messages);
        for (String error : result.errors()) {
            err.println("cmtp: bench: " + error);
        }
        return result;
    }

    /** The operations of one bench, which can be run more than once (warm-up, then measurement). */
    private record Load(ServerAddress server, Duration timeout, byte[] serverKey, Optional<byte[]> recipientKey,
                        MailAddress to, int size, Mode mode, int perConnection) {

        Result run(int connections, int messages) throws InterruptedException {
            int actualSize = mode == Mode.MAIL ? message(to, recipientKey, size).length : 0;
            AtomicInteger next = new AtomicInteger();
            long[] latencies = new long[messages];
            AtomicInteger done = new AtomicInteger();
            int[][] statusCounts = new int[connections][StatusWord.values().length];
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < connections; c++) {
                int worker = c;
                Thread thread = new Thread(() -> {
                    try {
                        connection(messages, next, latencies, done, statusCounts[worker]);
                    } catch (CmtpClientException | RuntimeException e) {
                        errors.add(e.getMessage());
                    }
                }, "cmtp-bench-" + c);
                workers.add(thread);
                thread.start();
            }
            for (Thread thread : workers) {
                thread.join();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Map<StatusWord, Integer> statuses = new EnumMap<>(StatusWord.class);
            for (int[] counts : statusCounts) {
                for (StatusWord word : StatusWord.values()) {
                    if (counts[word.ordinal()] > 0) {
                        statuses.merge(word, counts[word.ordinal()], Integer::sum);
                    }
                }
            }
            return new Result(messages, actualSize, connections, elapsed, Arrays.copyOf(latencies, done.get()),
                    statuses, List.copyOf(errors));
        }

        /**
         * One worker: takes operation numbers until there are none left. Its message is built,
         * hashed and given its proof of work once: it sends the same bytes every time, as
         * smtp-source does, so the client's own work does not crowd out the server's.
         */
        private void connection(int messages, AtomicInteger next, long[] latencies, AtomicInteger done,
                                int[] statusCounts) throws CmtpClientException {
            byte[] raw = mode == Mode.MAIL ? message(to, recipientKey, size) : null;
            byte[] hash = raw == null ? null : Blake2b.hash512(raw);
            byte[] pow = null;
            int limit = perConnection > 0 ? perConnection : Integer.MAX_VALUE;
            int i = next.getAndIncrement();
            while (i < messages) {
                long connecting = System.nanoTime();
                // No KEYREQUEST for the server's key on each connection: the key learnt at the
                // start is pinned, and every receipt is verified with it, as a client that
                // knows its server would do.
                try (CmtpClient client = CmtpClient.connect(server.resolve(), timeout, timeout)) {
                    if (pow == null && raw != null) {
                        pow = ProofOfWork.find(raw, client.capabilities().proofOfWorkDifficulty());
                    }
                    for (int onThis = 0; i < messages && onThis < limit; onThis++) {
                        long sent = onThis == 0 && limit != Integer.MAX_VALUE ? connecting : System.nanoTime();
                        StatusWord word;
                        if (mode == Mode.MAIL) {
                            word = client.mail(raw, hash, pow, serverKey).word();
                        } else {
                            word = client.keyRequest(to, serverKey).isPresent() ? StatusWord.SUCCESS
                                    : StatusWord.KEYNOTAVAILABLE;
                        }
                        latencies[done.getAndIncrement()] = System.nanoTime() - sent;
                        statusCounts[word.ordinal()]++;
                        i = next.getAndIncrement();
                    }
                    client.quit();
                }
            }
        }
    }

    /** A message of {@code size} bytes (or the smallest possible, if that is more) to {@code to}. */
    static byte[] message(MailAddress to, Optional<byte[]> key, int size) {
        // Not the recipient's domain: a server takes mail from its own domain only from its
        // cmtp.relay-networks (PROTOCOL.md §7), and the bench may run from anywhere.
        MailAddress from = new MailAddress("bench", "bench.invalid");
        Instant now = Instant.now();
        if (key.isPresent()) {
            OutgoingMail empty = OutgoingMail.from(from).to(to).subject("cmtp bench").text("").build();
            int overhead = MailSender.seal(empty, to, key.get(), now).encodedLength();
            OutgoingMail mail = OutgoingMail.from(from).to(to).subject("cmtp bench")
                    .text("x".repeat(Math.max(0, size - overhead))).build();
            return MailSender.seal(mail, to, key.get(), now).encode();
        }
        byte[] emptyBody = body(from, now, 0);
        int overhead = new Message(Message.PLAINTEXT, to, from, "", emptyBody, List.of()).encodedLength();
        return new Message(Message.PLAINTEXT, to, from, "", body(from, now, Math.max(0, size - overhead)), List.of())
                .encode();
    }

    private static byte[] body(MailAddress from, Instant date, int textBytes) {
        return new PlaintextBody(from.toString(), "cmtp bench", PlaintextBody.formatDate(date), List.of(),
                "x".repeat(textBytes)).encode();
    }
}
