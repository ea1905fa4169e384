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
                + "m.clientAddress) FROM StoredMessage m WHERE m.account = :account ORDER BY m.received DESC, m.id DESC",
                MessageSummary.class)
                .setParameter("account", account)
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultList();
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
}
