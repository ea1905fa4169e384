package org.cmtp.server.mailbox;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.server.persistence.CommitsToDisk;

/**
 * Group commit for incoming mail: the connections that are storing a message at the same
 * time share one transaction, so the database makes one commit (one log flush) for all of
 * them instead of one each. Every caller still returns only after the transaction holding
 * its message has committed and is on the disk ({@link CommitsToDisk}), so a receipt is
 * never signed for a message that is not durable.
 *
 * <p>No thread of its own and no waiting for company: the first caller that finds no
 * commit in progress becomes the leader and commits whatever is queued at that moment
 * (at least its own message); the others wait for it. Messages that arrive meanwhile
 * are taken by the next leader. Alone, a caller commits at once, as before. If a shared
 * transaction fails, each of its messages is retried in a transaction of its own, so
 * one bad message cannot fail the others.
 *
 * <p>A large body does not go through the shared transaction at all: its caller writes it
 * to a file of its own first ({@link BodyFiles}, ADR 0019), in parallel with the others,
 * and the group commits only the row that names the file.
 */
@ApplicationScoped
public class MailboxWriter {

    private static final Logger LOG = Logger.getLogger(MailboxWriter.class.getName());
    /** Bounds of one shared transaction: it must stay short, and its messages are all in memory anyway. */
    static final int MAX_BATCH_MESSAGES = 64;
    static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

    @EJB
    private Mailbox mailbox;
    @Inject
    private CommitsToDisk disk;
    @Inject
    private BodyFiles bodyFiles;

    /** For the container, which injects the collaborators. */
    public MailboxWriter() {
    }

    /** Outside a container (MailboxWriterTest): the group commit over the given collaborators. */
    MailboxWriter(Mailbox mailbox, CommitsToDisk disk, BodyFiles bodyFiles) {
        this.mailbox = mailbox;
        this.disk = disk;
        this.bodyFiles = bodyFiles;
    }

    private final Object lock = new Object();
    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private boolean committing;

    private static final class Pending {
        final StoredMessage message;
        long id;
        /** Its row is committed (it may still fail if the commit cannot be forced to disk). */
        boolean committed;
        RuntimeException failure;
        boolean done;

        Pending(StoredMessage message) {
            this.message = message;
        }
    }

    /**
     * Stores and commits the message (with others arriving at the same time); returns its
     * id. A large body is first written to its own file by this caller's thread
     * ({@link BodyFiles}), in parallel with the other connections; the shared commit then
     * carries only its row.
     */
    public long store(StoredMessage message) {
        String bodyFile = null;
        if (bodyFiles.takes(message.getSize())) {
            bodyFile = bodyFiles.write(message.getContent());
            message.keepBodyIn(bodyFile);
        }
        Pending mine = new Pending(message);
        try {
            return commitWithOthers(mine);
        } catch (RuntimeException e) {
            if (bodyFile != null && !mine.committed) {
                bodyFiles.delete(bodyFile);
            }
            throw e;
        }
    }

    private long commitWithOthers(Pending mine) {
        boolean interrupted = false;
        try {
            synchronized (lock) {
                queued.add(mine);
            }
            while (true) {
                List<Pending> batch;
                synchronized (lock) {
                    // Not interruptible: once queued, the message may be committed by another
                    // caller, and answering FAILURE for a stored message would make the sender
                    // deliver it twice.
                    while (!mine.done && committing) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (mine.done) {
                        if (mine.failure != null) {
                            throw mine.failure;
                        }
                        return mine.id;
                    }
                    committing = true;
                    batch = takeBatch();
                }
                try {
                    commit(batch);
                } finally {
                    synchronized (lock) {
                        committing = false;
                        lock.notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The oldest queued messages, within the batch bounds (always at least one). */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        long bytes = 0;
        while (!queued.isEmpty() && batch.size() < MAX_BATCH_MESSAGES
                && (batch.isEmpty() || bytes + queued.peek().message.getSize() <= MAX_BATCH_BYTES)) {
            Pending next = queued.poll();
            bytes += next.message.getSize();
            batch.add(next);
        }
        return batch;
    }

    private void commit(List<Pending> batch) {
        try {
            List<Long> ids = mailbox.storeAll(batch.stream().map(p -> p.message).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).id = ids.get(i);
                batch.get(i).committed = true;
            }
        } catch (RuntimeException shared) {
            if (batch.size() == 1) {
                batch.get(0).failure = shared;
            } else {
                LOG.log(Level.WARNING, "CMTP a shared transaction of " + batch.size()
                        + " messages failed; storing them one by one", shared);
                for (Pending pending : batch) {
                    try {
                        pending.id = mailbox.store(pending.message.copy());
                        pending.committed = true;
                    } catch (RuntimeException e) {
                        pending.failure = e;
                    }
                }
            }
        }
        forceToDisk(batch);
        batch.forEach(p -> p.done = true);
    }

    /** One fsync for the whole group, after its commit(s) and before any of its receipts. */
    private void forceToDisk(List<Pending> batch) {
        try {
            disk.force();
        } catch (IllegalStateException e) {
            LOG.log(Level.SEVERE, "CMTP " + batch.size() + " stored message(s) may not be on the disk;"
                    + " answering FAILURE so that their senders keep them", e);
            batch.stream().filter(p -> p.failure == null).forEach(p -> p.failure = e);
        }
    }
}
