package org.cmtp.server.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

import org.cmtp.server.schema.SchemaMigrations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay queue's contract, on both databases the server runs on (H2, and the
 * PostgreSQL at 127.0.0.1:5432 or {@code -Dcmtp.test.postgres}; skipped when none answers):
 * the queue's own JPA queries, run by EclipseLink outside a container on a schema made by
 * the server's migrations. What the relay workers of every instance rely on: a due message
 * is claimed by one worker only, also when two claim at the same moment; a lease that ran
 * out can be taken over and the old holder can no longer renew it; a released or retried
 * message is due at once; a failed attempt waits for its next attempt time.
 */
class RelayQueueContractTest {

    private static final String POSTGRES = System.getProperty("cmtp.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final Duration LEASE = Duration.ofMinutes(10);
    /**
     * Part of this run's database names: two runs on one machine (two checkouts, or CI beside
     * a developer) never drop or fill each other's databases.
     */
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36) + "_"
            + Long.toString(System.currentTimeMillis(), 36);

    @TempDir
    static Path dir;

    private EntityManagerFactory factory;
    /** The PostgreSQL database this test made, dropped after it. */
    private String database;
    private int enqueued;
    /** The moment the tests' messages are due; real time, since "retry now" uses the clock. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    @AfterEach
    void close() throws SQLException {
        if (factory != null) {
            factory.close();
        }
        if (database != null) {
            try (Connection admin = DriverManager.getConnection(POSTGRES, "postgres", "");
                    Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aDueMessageIsClaimedByOneWorkerAndTakenOverOnlyWhenItsLeaseRanOut(String vendor) throws Exception {
        open(vendor, "claim");
        long id = enqueue("bob", "b.test");

        assertEquals(List.of(id), claim("worker-1", now, 10), "due: claimed");
        assertEquals(List.of(), claim("worker-2", now, 10), "leased to worker-1");
        assertTrue(holds(q -> q.renew(id, "worker-1", now.plus(LEASE))), "the holder renews");

        Instant afterLease = now.plus(LEASE).plusSeconds(1);
        assertEquals(List.of(id), claim("worker-2", afterLease, 10), "worker-1's instance died: taken over");
        assertFalse(holds(q -> q.renew(id, "worker-1", afterLease.plus(LEASE))),
                "worker-1 may not renew what worker-2 now holds, so it does not send it twice");
        assertTrue(holds(q -> q.remove(id)), "delivered by worker-2");
        assertFalse(holds(q -> q.remove(id)), "gone");
        assertEquals(0L, (long) queue(RelayQueue::depth));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void workersClaimingAtOnceNeverGetTheSameMessage(String vendor) throws Exception {
        open(vendor, "race");
        Set<Long> queued = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            queued.add(enqueue("user" + i, "d" + (i % 3) + ".test"));
        }
        ExecutorService workers = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<Long>>> rounds = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                String worker = "worker-" + w;
                Callable<List<Long>> round = () -> {
                    List<Long> mine = new ArrayList<>();
                    List<Long> got;
                    do {
                        got = claim(worker, now, 7);
                        mine.addAll(got);
                    } while (!got.isEmpty());
                    return mine;
                };
                rounds.add(workers.submit(round));
            }
            Set<Long> claimed = new HashSet<>();
            int total = 0;
            for (Future<List<Long>> round : rounds) {
                List<Long> mine = round.get();
                claimed.addAll(mine);
                total += mine.size();
            }
            assertEquals(queued, claimed, "every message claimed");
            assertEquals(queued.size(), total, "and none by two workers");
        } finally {
            workers.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aFailedAttemptWaitsForItsNextAttemptAndRetryNowMakesItDueAgain(String vendor) throws Exception {
        open(vendor, "failed");
        long id = enqueue("carol", "c.test");
        claim("worker-1", now, 1);
        Instant next = now.plusSeconds(120);
        queue(q -> {
            q.failed(id, "connection refused", next);
            return null;
        });
        QueuedMessage failed = queue(q -> q.find(id).orElseThrow());
        assertEquals(1, failed.getAttempts());
        assertEquals("connection refused", failed.getLastError());
        assertEquals(next, failed.getNextAttempt());

        assertEquals(List.of(), claim("worker-2", next.minusSeconds(1), 1), "not due before its next attempt");
        assertEquals(List.of(id), claim("worker-2", next, 1), "due at its next attempt");
        queue(q -> {
            q.failed(id, "again", next.plusSeconds(240));
            return null;
        });
        assertTrue(holds(q -> q.retryNow(id)), "the operator's retry");
        assertEquals(List.of(id), claim("worker-3", Instant.now().plusSeconds(1), 1), "due at once");
        assertEquals(2, queue(q -> q.find(id).orElseThrow()).getAttempts(), "a retry is not an attempt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void releasedLeasesAreDueAtOnceAndOnlyTheGivenWorkersAreReleased(String vendor) throws Exception {
        open(vendor, "release");
        long first = enqueue("dave", "d.test");
        long second = enqueue("erin", "d.test");
        long third = enqueue("frank", "d.test");
        assertEquals(List.of(first, second), claim("worker-1", now, 2));
        assertEquals(List.of(third), claim("worker-2", now, 2));

        queue(q -> {
            q.release(first, "worker-2"); // not worker-2's: nothing happens
            return null;
        });
        assertEquals(List.of(), claim("worker-3", now, 3), "all still leased");
        queue(q -> {
            q.release(first, "worker-1");
            return null;
        });
        assertEquals(List.of(first), claim("worker-3", now, 3), "given back: due at once");
        assertEquals(1, (int) queue(q -> q.releaseLeasesOf("worker-1")), "worker-1's restart frees what it held");
        assertEquals(List.of(second), claim("worker-4", now, 3), "worker-2's and worker-3's leases stand");
        assertEquals(0, queue(q -> q.find(first).orElseThrow().getAttempts()).intValue(), "releases count no attempt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void workersClaimPerDomainAndListsFilterByRecipient(String vendor) throws Exception {
        open(vendor, "domains");
        long slow = enqueue("gina", "Slow.Test.");
        long fast = enqueue("hank", "fast.test");
        long other = enqueue("gina", "other.test");

        assertEquals(List.of(), queue(q -> q.claimDue("w", now, now.plus(LEASE), 5, "nowhere.test", Set.of())));
        assertEquals(List.of(slow), queue(q -> q.claimDue("w", now, now.plus(LEASE), 5, "slow.test", Set.of())),
                "the domain as the queue stores it: one spelling");
        assertEquals(List.of(other), queue(q -> q.claimDue("w", now, now.plus(LEASE), 5, null, Set.of("fast.test"))),
                "a domain another thread delivers to is skipped");

        assertEquals(3L, (long) queue(RelayQueue::depth));
        assertEquals(2L, (long) queue(q -> q.count("gina", null)));
        assertEquals(List.of(slow, other), queue(q -> q.list("gina", null, 0, 10)).stream().map(QueuedMessage::getId).toList());
        assertEquals(List.of(fast), queue(q -> q.list(null, "FAST.test", 0, 10)).stream().map(QueuedMessage::getId).toList());
        assertEquals(List.of(fast, other), queue(q -> q.list(1, 2)).stream().map(QueuedMessage::getId).toList(), "a page");
        assertEquals("hank@fast.test", new String(queue(q -> q.content(fast)), StandardCharsets.UTF_8),
                "the bytes to send");
    }

    private long enqueue(String account, String domain) {
        // queued a minute ago in order of enqueueing: due now, the oldest first
        Instant queued = now.minusSeconds(60).plusMillis(enqueued++);
        QueuedMessage message = new QueuedMessage((account + "@" + domain.toLowerCase().replaceAll("\\.$", ""))
                .getBytes(StandardCharsets.UTF_8), "alice@a.test", account, domain, queued, false);
        return queue(q -> q.enqueue(message));
    }

    private List<Long> claim(String worker, Instant at, int max) {
        return queue(q -> q.claimDue(worker, at, at.plus(LEASE), max));
    }

    private boolean holds(Function<RelayQueue, Boolean> work) {
        return queue(work);
    }

    /** {@code work} in a transaction of its own, as the container runs each call (REQUIRES_NEW). */
    private <T> T queue(Function<RelayQueue, T> work) {
        return new CommittingRelayQueue(factory).committed(work);
    }

    private void open(String vendor, String name) throws SQLException {
        String url;
        String user = "";
        if (vendor.equals("h2")) {
            url = "jdbc:h2:file:" + dir.resolve(name);
        } else {
            String fresh = "cmtp_test_queue_" + RUN + "_" + name;
            try (Connection admin = DriverManager.getConnection(POSTGRES, "postgres", "");
                    Statement s = admin.createStatement()) {
                s.execute("CREATE DATABASE " + fresh);
            } catch (SQLException e) {
                Assumptions.abort("no PostgreSQL at " + POSTGRES + ": " + e.getMessage());
            }
            database = fresh;
            url = POSTGRES.substring(0, POSTGRES.lastIndexOf('/') + 1) + fresh;
            user = "postgres";
        }
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            SchemaMigrations.migrate(c);
        }
        factory = Persistence.createEntityManagerFactory("cmtp-contract", Map.of(
                "jakarta.persistence.jdbc.url", url,
                "jakarta.persistence.jdbc.user", user,
                "jakarta.persistence.jdbc.password", ""));
    }
}
