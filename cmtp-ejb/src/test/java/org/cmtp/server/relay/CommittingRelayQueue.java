package org.cmtp.server.relay;

import jakarta.persistence.EntityManagerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.cmtp.server.testing.Committed;

/**
 * The real relay queue outside a container, each call committed in a transaction of its
 * own on an entity manager of {@code factory}, as the container runs it ({@code REQUIRES_NEW}).
 */
final class CommittingRelayQueue extends RelayQueue {

    private final EntityManagerFactory factory;

    CommittingRelayQueue(EntityManagerFactory factory) {
        this.factory = factory;
    }

    /** {@code work} on the queue, committed when it returns, rolled back when it throws. */
    <T> T committed(Function<RelayQueue, T> work) {
        return Committed.on(factory, em -> work.apply(new RelayQueue(em)));
    }

    @Override
    public long enqueue(QueuedMessage message) {
        return committed(q -> q.enqueue(message));
    }

    @Override
    public List<Long> claimDue(String worker, Instant now, Instant leaseUntil, int max, String onlyDomain,
            Set<String> skipDomains) {
        return committed(q -> q.claimDue(worker, now, leaseUntil, max, onlyDomain, skipDomains));
    }

    @Override
    public boolean renew(long id, String worker, Instant leaseUntil) {
        return committed(q -> q.renew(id, worker, leaseUntil));
    }

    @Override
    public void release(long id, String worker) {
        committed(q -> {
            q.release(id, worker);
            return null;
        });
    }

    @Override
    public int releaseLeasesOf(String worker) {
        return committed(q -> q.releaseLeasesOf(worker));
    }

    @Override
    public Optional<QueuedMessage> find(long id) {
        return committed(q -> q.find(id));
    }

    @Override
    public byte[] content(long id) {
        return committed(q -> q.content(id));
    }

    @Override
    public boolean remove(long id) {
        return committed(q -> q.remove(id));
    }

    @Override
    public void failed(long id, String error, Instant nextAttempt) {
        committed(q -> {
            q.failed(id, error, nextAttempt);
            return null;
        });
    }

    @Override
    public List<QueuedMessage> list(int first, int max) {
        return committed(q -> q.list(first, max));
    }

    @Override
    public long depth() {
        return committed(RelayQueue::depth);
    }
}
