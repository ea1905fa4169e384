package org.cmtp.server.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.cmtp.server.account.Account;
import org.cmtp.server.persistence.CommitsToDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit of incoming mail (ADR 0012): what the connections storing at the same
 * time get back, in the cases a real database rarely produces on demand (a shared
 * transaction failing because of one message, an fsync failing). The database and fsync
 * are stood in for by a recording {@link Mailbox} and {@link CommitsToDisk}; the body files
 * are real. CrashSafetyIT and BodyFilesIT run the same code end to end on H2 and PostgreSQL.
 */
class MailboxWriterTest {

    @TempDir
    Path bodies;

    private final RecordingMailbox mailbox = new RecordingMailbox();
    private final Disk disk = new Disk();
    private final ExecutorService connections = Executors.newFixedThreadPool(40);

    @AfterEach
    void stop() {
        connections.shutdownNow();
    }

    @Test
    void connectionsStoringAtOnceShareCommitsAndEachGetsItsOwnId() throws Exception {
        MailboxWriter writer = new MailboxWriter(mailbox, disk, new BodyFiles(bodies, false));
        mailbox.commitTakesMillis = 30; // while one group commits, the next one gathers
        List<Future<Long>> stored = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 200; i++) {
            StoredMessage message = message(100);
            stored.add(connections.submit(() -> {
                start.await();
                return writer.store(message);
            }));
        }
        start.countDown();
        Set<Long> ids = new HashSet<>();
        for (Future<Long> id : stored) {
            ids.add(id.get(30, TimeUnit.SECONDS));
        }
        assertEquals(200, ids.size(), "every message stored once, with its own id");
        assertTrue(mailbox.groups.size() < 200, "some commits carried several messages: " + mailbox.groups);
        assertTrue(mailbox.groups.stream().allMatch(size -> size <= MailboxWriter.MAX_BATCH_MESSAGES),
                "no group over " + MailboxWriter.MAX_BATCH_MESSAGES + ": " + mailbox.groups);
        assertEquals(mailbox.groups.size(), disk.forced.get(), "one fsync per group");
    }

    @Test
    void aGroupWhoseSharedTransactionFailsIsStoredOneByOneAndOnlyTheBadMessageFails() throws Exception {
        MailboxWriter writer = new MailboxWriter(mailbox, disk, new BodyFiles(bodies, false));
        StoredMessage bad = message(10, REFUSED_SENDER);
        mailbox.commitTakesMillis = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> good = new ArrayList<>();
        Future<Long> refused = connections.submit(() -> {
            start.await();
            return writer.store(bad);
        });
        for (int i = 0; i < 20; i++) {
            StoredMessage message = message(10);
            good.add(connections.submit(() -> {
                start.await();
                return writer.store(message);
            }));
        }
        start.countDown();
        for (Future<Long> id : good) {
            assertTrue(id.get(30, TimeUnit.SECONDS) > 0, "stored despite sharing a group with the bad one");
        }
        Exception e = assertThrows(Exception.class, () -> refused.get(30, TimeUnit.SECONDS));
        assertSame(RecordingMailbox.REFUSAL, e.getCause(), "its caller answers FAILURE: the sender keeps it");
        assertEquals(20, mailbox.rows.size(), "the twenty others are in the mailbox, the bad one is not");
    }

    @Test
    void whenTheFsyncFailsEveryMessageOfTheGroupIsAnsweredWithFailure() {
        MailboxWriter writer = new MailboxWriter(mailbox, disk, new BodyFiles(bodies, false));
        disk.failing = true;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.store(message(10)));
        assertSame(Disk.FAILURE, e, "not on the disk for sure: no SUCCESS receipt");
        disk.failing = false;
        assertTrue(writer.store(message(10)) > 0, "the next group goes on");
    }

    @Test
    void aLargeBodyGoesToItsFileFirstAndTheFileIsRemovedWhenItsRowIsNotCommitted() throws IOException {
        MailboxWriter writer = new MailboxWriter(mailbox, disk, new BodyFiles(bodies, false));
        StoredMessage large = message(BodyFiles.MIN_BYTES);
        writer.store(large);
        assertTrue(large.getBodyFile() != null, "a body of " + BodyFiles.MIN_BYTES + " bytes is kept in a file");
        assertEquals(1, bodyFiles(), "its file");

        StoredMessage refused = message(BodyFiles.MIN_BYTES + 1, REFUSED_SENDER);
        assertThrows(IllegalStateException.class, () -> writer.store(refused));
        assertEquals(1, bodyFiles(), "the refused message's file is gone again: nothing half-stored");

        StoredMessage small = message(BodyFiles.MIN_BYTES - 1);
        writer.store(small);
        assertNull(small.getBodyFile(), "smaller bodies stay in the row");
    }

    private long bodyFiles() throws IOException {
        try (Stream<Path> files = Files.walk(bodies)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).count();
        }
    }

    private static StoredMessage message(int size) {
        return message(size, "alice@a.test");
    }

    private static StoredMessage message(int size, String sender) {
        Account bob = new Account("bob", new byte[32], new byte[32], Instant.now());
        return new StoredMessage(bob, new byte[size], sender, Instant.now(), "127.0.0.1", new byte[64]);
    }

    /** Whose messages the database refuses, in whatever transaction. */
    private static final String REFUSED_SENDER = "mallory@refused.test";

    /** The database: hands out ids, records the groups, refuses the messages of {@link #REFUSED_SENDER}. */
    static final class RecordingMailbox extends Mailbox {
        static final IllegalStateException REFUSAL = new IllegalStateException("a constraint of the database");

        final List<Integer> groups = Collections.synchronizedList(new ArrayList<>());
        final List<StoredMessage> rows = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong nextId = new AtomicLong(1);
        volatile long commitTakesMillis;

        @Override
        public List<Long> storeAll(List<StoredMessage> messages) {
            pause();
            if (messages.stream().anyMatch(this::isRefused)) {
                throw REFUSAL;
            }
            groups.add(messages.size());
            rows.addAll(messages);
            return messages.stream().map(m -> nextId.getAndIncrement()).toList();
        }

        @Override
        public long store(StoredMessage message) {
            if (isRefused(message)) {
                throw REFUSAL;
            }
            rows.add(message);
            return nextId.getAndIncrement();
        }

        /** The writer retries a failed group one by one with copies: the sender tells the refused one. */
        private boolean isRefused(StoredMessage message) {
            return message.getSender().equals(REFUSED_SENDER);
        }

        private void pause() {
            if (commitTakesMillis > 0) {
                try {
                    Thread.sleep(commitTakesMillis); // a commit's duration, during which others queue
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The fsync after each group: counted, or failing. */
    static final class Disk extends CommitsToDisk {
        static final IllegalStateException FAILURE = new IllegalStateException("fsync: input/output error");

        final AtomicLong forced = new AtomicLong();
        volatile boolean failing;

        @Override
        public void force() {
            if (failing) {
                throw FAILURE;
            }
            forced.incrementAndGet();
        }
    }
}
