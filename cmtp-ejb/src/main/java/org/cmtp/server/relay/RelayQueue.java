package org.cmtp.server.relay;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The durable queue of messages for other domains. Every method commits on its own
 * ({@code REQUIRES_NEW}): a message is in the queue before its receipt is signed, and a
 * worker's claim, success or failure is recorded the moment it happens.
 *
 * <p>Claiming is a conditional update of one row ("take it if nobody holds a live lease"),
 * which the database serialises, so of several workers on one or many instances exactly
 * one wins each message. A worker that dies loses its lease when it runs out, and the
 * message is tried again: at worst delivered twice, never lost.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class RelayQueue {

    /** Claim queries one round may make: bounded, however busy the other workers are. */
    private static final int CLAIM_PASSES = 5;

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;

    /** For the container, which injects the entity manager. */
    public RelayQueue() {
    }

    /**
     * Outside a container: on {@code em}, whose transactions the caller begins and ends
     * (RelayQueueContractTest runs the queries on H2 and PostgreSQL this way).
     */
    RelayQueue(EntityManager em) {
        this.em = em;
    }

    public long enqueue(QueuedMessage message) {
        em.persist(message);
        em.flush();
        return message.getId();
    }

    /**
     * Claims up to {@code max} due messages for {@code worker} until {@code leaseUntil}.
     * The conditional update is the claim: under READ COMMITTED a second worker updating the
     * same row waits for the first to commit and then re-checks the condition against the
     * new lease, so it matches nothing. Candidates are taken in one fixed order (due time,
     * then id) so that two workers lock rows in the same order and cannot deadlock.
     */
    public List<Long> claimDue(String worker, Instant now, Instant leaseUntil, int max) {
        return claimDue(worker, now, leaseUntil, max, null, Set.of());
    }

    /**
     * As {@link #claimDue(String, Instant, Instant, int)}, only for {@code onlyDomain} (null:
     * any) and never for the domains in {@code skipDomains}: a worker delivers to one domain
     * at a time, so that one domain that does not answer holds one of its delivery threads,
     * not all of them.
     */
    public List<Long> claimDue(String worker, Instant now, Instant leaseUntil, int max, String onlyDomain,
            Set<String> skipDomains) {
        String due = "SELECT q.id FROM QueuedMessage q WHERE q.nextAttempt <= :now"
                + " AND (q.leaseUntil IS NULL OR q.leaseUntil < :now)"
                + (onlyDomain != null ? " AND q.recipientDomain = :domain" : "")
                + (skipDomains.isEmpty() ? "" : " AND q.recipientDomain NOT IN :skip")
                + " ORDER BY q.nextAttempt, q.id";
        List<Long> claimed = new ArrayList<>();
        // Workers on several instances start their rounds on the same clock tick and see the
        // same candidates; the one that loses them looks again (its next query sees the
        // winner's committed leases) rather than idling until the next round.
        for (int pass = 0; pass < CLAIM_PASSES && claimed.size() < max; pass++) {
            TypedQuery<Long> query = em.createQuery(due, Long.class).setParameter("now", now);
            if (onlyDomain != null) {
                query.setParameter("domain", onlyDomain);
            }
            if (!skipDomains.isEmpty()) {
                query.setParameter("skip", List.copyOf(skipDomains));
            }
            List<Long> candidates = query.setMaxResults(max - claimed.size()).getResultList();
            if (candidates.isEmpty()) {
                break;
            }
            for (Long id : candidates) {
                int won = em.createQuery("UPDATE QueuedMessage q SET q.leaseOwner = :worker, q.leaseUntil = :until"
                        + " WHERE q.id = :id AND (q.leaseUntil IS NULL OR q.leaseUntil < :now)")
                        .setParameter("worker", worker)
                        .setParameter("until", leaseUntil)
                        .setParameter("id", id)
                        .setParameter("now", now)
                        .executeUpdate();
                if (won == 1) {
                    claimed.add(id);
                }
            }
        }
        return claimed;
    }

    /**
     * Extends {@code worker}'s lease on message {@code id} right before an attempt; false
     * when the worker no longer holds it (its lease ran out during a long round and another
     * worker took the message), so the message is not sent twice. The lease thus has to
     * outlast one attempt, not a whole round.
     */
    public boolean renew(long id, String worker, Instant leaseUntil) {
        // Still ours, even if run out, as long as nobody else claimed it: a claimer updating
        // the row at the same moment waits for this commit and then sees the new lease.
        return em.createQuery("UPDATE QueuedMessage q SET q.leaseUntil = :until"
                + " WHERE q.id = :id AND q.leaseOwner = :worker")
                .setParameter("until", leaseUntil)
                .setParameter("id", id)
                .setParameter("worker", worker)
                .executeUpdate() == 1;
    }

    /** Gives back {@code worker}'s claim on message {@code id} unused: due at once for any worker, no attempt counted. */
    public void release(long id, String worker) {
        em.createQuery("UPDATE QueuedMessage q SET q.leaseOwner = NULL, q.leaseUntil = NULL"
                + " WHERE q.id = :id AND q.leaseOwner = :worker")
                .setParameter("id", id)
                .setParameter("worker", worker)
                .executeUpdate();
    }

    /**
     * Releases every lease {@code worker} holds, making those messages claimable at once.
     * Called at startup with the instance's own name: what it holds then was claimed by its
     * previous run, which died with the claims (a {@code kill -9} mid-round).
     */
    public int releaseLeasesOf(String worker) {
        return em.createQuery("UPDATE QueuedMessage q SET q.leaseOwner = NULL, q.leaseUntil = NULL"
                + " WHERE q.leaseOwner = :worker")
                .setParameter("worker", worker)
                .executeUpdate();
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<QueuedMessage> find(long id) {
        return Optional.ofNullable(em.find(QueuedMessage.class, id));
    }

    /** The bytes to send; read apart from the row so listings never load contents. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public byte[] content(long id) {
        return em.createQuery("SELECT q.content FROM QueuedMessage q WHERE q.id = :id", byte[].class)
                .setParameter("id", id)
                .getSingleResult();
    }

    /** Delivered (or given up): out of the queue. */
    public boolean remove(long id) {
        QueuedMessage message = em.find(QueuedMessage.class, id);
        if (message == null) {
            return false;
        }
        em.remove(message);
        return true;
    }

    public void failed(long id, String error, Instant nextAttempt) {
        QueuedMessage message = em.find(QueuedMessage.class, id);
        if (message != null) {
            message.failedAttempt(error, nextAttempt);
        }
    }

    /** Makes a message due now (the operator's "retry"). */
    public boolean retryNow(long id) {
        QueuedMessage message = em.find(QueuedMessage.class, id);
        if (message == null) {
            return false;
        }
        message.retryNow(Instant.now());
        return true;
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<QueuedMessage> list(int first, int max) {
        return list(null, null, first, max);
    }

    /**
     * Queued messages, due first, filtered by recipient account and domain (each null for
     * any); the domain is compared lower-case, as the queue stores it.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<QueuedMessage> list(String recipientAccount, String recipientDomain, int first, int max) {
        return filtered("SELECT q", recipientAccount, recipientDomain, " ORDER BY q.nextAttempt, q.id", QueuedMessage.class)
                .setFirstResult(first).setMaxResults(max).getResultList();
    }

    /** How many messages {@link #list(String, String, int, int)} finds on all pages. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long count(String recipientAccount, String recipientDomain) {
        return filtered("SELECT COUNT(q)", recipientAccount, recipientDomain, "", Long.class).getSingleResult();
    }

    /** {@code select} over the queue with the recipient filters (each null for any), then {@code order}. */
    private <T> TypedQuery<T> filtered(String select, String recipientAccount, String recipientDomain, String order,
            Class<T> type) {
        StringBuilder jpql = new StringBuilder(select).append(" FROM QueuedMessage q WHERE 1 = 1");
        if (recipientAccount != null) {
            jpql.append(" AND q.recipientAccount = :account");
        }
        if (recipientDomain != null) {
            jpql.append(" AND q.recipientDomain = :domain");
        }
        TypedQuery<T> query = em.createQuery(jpql.append(order).toString(), type);
        if (recipientAccount != null) {
            query.setParameter("account", recipientAccount);
        }
        if (recipientDomain != null) {
            query.setParameter("domain", recipientDomain.toLowerCase(Locale.ROOT));
        }
        return query;
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long depth() {
        return em.createQuery("SELECT COUNT(q) FROM QueuedMessage q", Long.class).getSingleResult();
    }
}
