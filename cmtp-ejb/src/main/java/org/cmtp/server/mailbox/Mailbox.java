package org.cmtp.server.mailbox;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cmtp.server.account.Account;

/**
 * The accounts' mailboxes. {@link #store} runs in a transaction of its own, so that
 * when it returns the message is committed: only then may the server sign a receipt.
 */
@Stateless
public class Mailbox {

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @Inject
    private BodyFiles bodyFiles;

    /** Stores and commits the message; returns its id. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long store(StoredMessage message) {
        Account managed = em.find(Account.class, message.getAccount().getId());
        if (managed == null) {
            throw new IllegalStateException("account " + message.getAccount().getName() + " vanished");
        }
        message.attachTo(managed);
        em.persist(message);
        em.flush();
        return message.getId();
    }

    /**
     * Stores and commits several messages in one transaction (one commit for all, see
     * {@link MailboxWriter}); returns their ids in order. All or none are stored.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<Long> storeAll(List<StoredMessage> messages) {
        Map<Long, Account> managed = new HashMap<>();
        for (StoredMessage message : messages) {
            Account account = managed.computeIfAbsent(message.getAccount().getId(), id -> em.find(Account.class, id));
            if (account == null) {
                throw new IllegalStateException("account " + message.getAccount().getName() + " vanished");
            }
            message.attachTo(account);
            em.persist(message);
        }
        em.flush();
        return messages.stream().map(StoredMessage::getId).toList();
    }

    /** The messages of an account, newest first, without their contents. */
    public List<MessageSummary> list(Account account, int first, int max) {
        return em.createQuery("SELECT NEW org.cmtp.server.mailbox.MessageSummary(m.id, m.sender, m.size, m.received, "
                + "m.clientAddress, m.viaSmtp) FROM StoredMessage m WHERE m.account = :account ORDER BY m.received DESC, m.id DESC",
                MessageSummary.class)
                .setParameter("account", account)
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultList();
    }

    /** The messages of an account as its holder lists them, newest first (highest id first among equal times). */
    public List<MailboxEntry> entries(Account account, int first, int max) {
        return entries(account, "", null).setFirstResult(first).setMaxResults(max).getResultList();
    }

    /** The messages of an account stored after message {@code afterId}, oldest first: what a waiting client is told. */
    public List<MailboxEntry> entriesAfter(Account account, long afterId) {
        List<MailboxEntry> newest = new java.util.ArrayList<>(
                entries(account, " AND m.id > :after", afterId).setMaxResults(100).getResultList());
        java.util.Collections.reverse(newest);
        return newest;
    }

    /** The id of the account's newest message, 0 for an empty mailbox. */
    public long newestId(Account account) {
        Long newest = em.createQuery("SELECT MAX(m.id) FROM StoredMessage m WHERE m.account = :account", Long.class)
                .setParameter("account", account).getSingleResult();
        return newest == null ? 0 : newest;
    }

    private jakarta.persistence.TypedQuery<MailboxEntry> entries(Account account, String condition, Long after) {
        jakarta.persistence.TypedQuery<MailboxEntry> query = em.createQuery(
                "SELECT NEW org.cmtp.server.mailbox.MailboxEntry(m.id, m.sender, m.size, m.received, m.seen, "
                + "m.attachmentSizes, m.viaSmtp) FROM StoredMessage m WHERE m.account = :account" + condition
                + " ORDER BY m.received DESC, m.id DESC", MailboxEntry.class)
                .setParameter("account", account);
        if (after != null) {
            query.setParameter("after", after);
        }
        return query;
    }

    /** One message of an account, as listed; empty when it has no such message. */
    public java.util.Optional<MailboxEntry> entry(Account account, long id) {
        return entries(account, " AND m.id = :after", id).getResultStream().findFirst();
    }

    /** How many messages an account has. */
    public long count(Account account) {
        return em.createQuery("SELECT COUNT(m) FROM StoredMessage m WHERE m.account = :account", Long.class)
                .setParameter("account", account).getSingleResult();
    }

    /** What a mailbox holds: its number of messages and the sum of their stored sizes. */
    public record Usage(long messages, long bytes) {
    }

    /** The account's usage now (one aggregate query over its messages). */
    public Usage usage(Account account) {
        Object[] row = em.createQuery("SELECT COUNT(m), SUM(m.size) FROM StoredMessage m WHERE m.account = :account",
                Object[].class).setParameter("account", account).getSingleResult();
        return new Usage(((Number) row[0]).longValue(), row[1] == null ? 0 : ((Number) row[1]).longValue());
    }

    /**
     * Deletes every message received before {@code before} (the retention sweep), at most
     * {@code max} at a time; their body files go once this has committed. Returns how many.
     */
    public int deleteReceivedBefore(java.time.Instant before, int max) {
        List<Long> ids = em.createQuery("SELECT m.id FROM StoredMessage m WHERE m.received < :before ORDER BY m.id",
                Long.class).setParameter("before", org.cmtp.server.persistence.InstantConverter.stored(before))
                .setMaxResults(max).getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        List<String> files = em.createQuery(
                "SELECT m.bodyFile FROM StoredMessage m WHERE m.id IN :ids AND m.bodyFile IS NOT NULL", String.class)
                .setParameter("ids", ids).getResultList();
        int deleted = em.createQuery("DELETE FROM StoredMessage m WHERE m.id IN :ids").setParameter("ids", ids)
                .executeUpdate();
        bodyFiles.deleteAfterCommit(files);
        return deleted;
    }

    /** Marks one message of {@code account} read or unread; false if it has no such message. */
    public boolean markSeen(Account account, long id, boolean seen) {
        return em.createQuery("UPDATE StoredMessage m SET m.seen = :seen WHERE m.account = :account AND m.id = :id")
                .setParameter("seen", seen).setParameter("account", account).setParameter("id", id)
                .executeUpdate() == 1;
    }

    /** Deletes one message of {@code account} (its body file once the deletion has committed); false if it has no such message. */
    public boolean delete(Account account, long id) {
        return delete("m.account = :account AND m.id = :id", account, id) == 1;
    }

    /** Deletes every message of {@code account} (their body files once the deletion has committed); returns how many. */
    public int deleteAll(Account account) {
        return delete("m.account = :account", account, null);
    }

    /** Deletes the account's messages that {@code which} selects; their body files go once this has committed. */
    private int delete(String which, Account account, Long id) {
        List<String> files = bind(em.createQuery(
                "SELECT m.bodyFile FROM StoredMessage m WHERE " + which + " AND m.bodyFile IS NOT NULL", String.class),
                account, id).getResultList();
        int deleted = bind(em.createQuery("DELETE FROM StoredMessage m WHERE " + which), account, id).executeUpdate();
        bodyFiles.deleteAfterCommit(files);
        return deleted;
    }

    private static <Q extends Query> Q bind(Q query, Account account, Long id) {
        query.setParameter("account", account);
        if (id != null) {
            query.setParameter("id", id);
        }
        return query;
    }

    /** The exact stored bytes of one message of {@code account}, from its row or its body file. */
    public Optional<byte[]> content(Account account, long id) {
        return em.createQuery("SELECT m.content, m.bodyFile FROM StoredMessage m WHERE m.id = :id AND m.account = :account",
                Object[].class)
                .setParameter("id", id)
                .setParameter("account", account)
                .getResultStream()
                .findFirst()
                .map(row -> row[1] != null ? bodyFiles.read((String) row[1]) : (byte[]) row[0]);
    }

    /** What {@link #contents} read, by id, and the ids of messages left for later to keep within the budget. */
    public record Contents(Map<Long, byte[]> read, List<Long> later) {
    }

    /**
     * The stored bytes of several messages of {@code account} in two queries (the user API's
     * batch): their sizes first, then the bytes of those that fit in {@code maxBytes} taken
     * in the order of {@code ids} (the first always fits). Ids that are not the account's
     * messages are in neither part of the answer.
     */
    public Contents contents(Account account, List<Long> ids, long maxBytes) {
        Map<Long, byte[]> read = new HashMap<>();
        List<Long> later = new java.util.ArrayList<>();
        if (ids.isEmpty()) {
            return new Contents(read, later);
        }
        Map<Long, Long> sizes = new HashMap<>();
        em.createQuery("SELECT m.id, m.size FROM StoredMessage m WHERE m.id IN :ids AND m.account = :account",
                Object[].class).setParameter("ids", ids).setParameter("account", account).getResultStream()
                .forEach(row -> sizes.put((Long) row[0], (Long) row[1]));
        List<Long> chosen = new java.util.ArrayList<>();
        long bytes = 0;
        for (Long id : ids) {
            Long size = sizes.get(id);
            if (size == null) {
                continue;
            }
            if (chosen.isEmpty() || bytes + size <= maxBytes) {
                chosen.add(id);
                bytes += size;
            } else {
                later.add(id);
            }
        }
        em.createQuery("SELECT m.id, m.content, m.bodyFile FROM StoredMessage m WHERE m.id IN :ids"
                + " AND m.account = :account", Object[].class)
                .setParameter("ids", chosen)
                .setParameter("account", account)
                .getResultStream()
                .forEach(row -> read.put((Long) row[0],
                        row[2] != null ? bodyFiles.read((String) row[2]) : (byte[]) row[1]));
        return new Contents(read, later);
    }
}
