package org.cmtp.server.account;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.crypto.Xzibit;
import org.cmtp.message.MailAddress;
import org.cmtp.wire.InvalidAddressException;
import org.cmtp.server.mailbox.Mailbox;

/**
 * Creates and finds accounts. A new account either gets a key pair made here, locked
 * in an xzibit with the user's password (the password is used once and forgotten), or
 * brings its own public key and xzibit made on the client.
 */
@Stateless
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Shortest password of an account made on the server; see {@link #checkNewPassword}. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @EJB
    private Mailbox mailbox;

    public Optional<Account> find(String name) {
        return em.createNamedQuery(Account.BY_NAME, Account.class)
                .setParameter("name", name)
                .getResultStream()
                .findFirst();
    }

    /**
     * As {@link #find}, for the CMTP listener's hot path (every MAIL, LOGIN and local
     * KEYREQUEST): no transaction of its own, and EclipseLink's read-only query, which hands
     * out the shared cached object instead of building a private copy. Building that copy
     * takes a lock on the account's cache entry, and 20 connections writing to one account
     * queued on that lock (docs/BENCHMARKS.md). The result must not be changed: Account's
     * getters return copies and callers of this method never call its setter.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<Account> findReadOnly(String name) {
        return em.createNamedQuery(Account.BY_NAME, Account.class)
                .setParameter("name", name)
                .setHint("eclipselink.read-only", "true")
                .getResultStream()
                .findFirst();
    }

    /** A new account whose keys are made on the server and sealed with {@code password}. */
    public Account createWithPassword(String name, char[] password) {
        checkNewName(name);
        checkNewPassword(password);
        Ed25519KeyPair keys = Ed25519KeyPair.generate(RANDOM);
        byte[] xzibit = Xzibit.create(password, keys, RANDOM).toBytes();
        return persist(new Account(name, keys.publicKey(), xzibit, Instant.now()));
    }

    /**
     * The password of a new account has at least {@value #MIN_PASSWORD_LENGTH} characters
     * (Unicode code points). LOGIN hands the account's xzibit to anyone who asks (PROTOCOL.md
     * §5), so the password is all that stands between an offline guesser and the key pair;
     * the LOGIN rate limit only slows down fetching the xzibit, not guessing at it.
     *
     * @throws AccountException naming the field {@code password} if it is too short
     */
    static void checkNewPassword(char[] password) {
        if (password == null || Character.codePointCount(password, 0, password.length) < MIN_PASSWORD_LENGTH) {
            throw new AccountException(AccountException.Kind.INVALID, "password",
                    "the password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    /** A new account with a public key and xzibit made by the client. */
    public Account importAccount(String name, byte[] publicKey, byte[] xzibit) {
        checkNewName(name);
        if (publicKey == null || publicKey.length != 32) {
            throw new AccountException(AccountException.Kind.INVALID, "publicKey",
                    "the public key must be 32 bytes (64 hex digits)");
        }
        Xzibit parsed;
        try {
            parsed = Xzibit.parse(xzibit == null ? new byte[0] : xzibit);
        } catch (RuntimeException e) {
            throw new AccountException(AccountException.Kind.INVALID, "xzibit", "not a valid xzibit: " + e.getMessage());
        }
        return persist(new Account(name, publicKey, parsed.toBytes(), Instant.now()));
    }

    /** Accounts by name, {@code search} (may be null) a case-insensitive substring of the name. */
    public List<Account> list(String search, int first, int max) {
        return em.createQuery("SELECT a FROM Account a WHERE LOWER(a.name) LIKE :pattern ESCAPE '!'"
                + " ORDER BY a.name", Account.class)
                .setParameter("pattern", pattern(search))
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultList();
    }

    /** How many accounts {@link #list} would find without paging. */
    public long count(String search) {
        return em.createQuery("SELECT COUNT(a) FROM Account a WHERE LOWER(a.name) LIKE :pattern ESCAPE '!'", Long.class)
                .setParameter("pattern", pattern(search))
                .getSingleResult();
    }

    /** {@code search} as a LIKE pattern, its own wildcards taken literally. */
    private static String pattern(String search) {
        if (search == null || search.isEmpty()) {
            return "%";
        }
        String escaped = search.toLowerCase(java.util.Locale.ROOT)
                .replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + escaped + "%";
    }

    /**
     * Deletes the account, every message of its mailbox and its user API sessions, in this
     * one transaction: either all are gone or none is. (A session outliving its account would
     * sign in whoever gets the same name next.)
     */
    public void delete(String name) {
        Account account = find(name).orElseThrow(() -> AccountException.notFound(name));
        int messages = mailbox.deleteAll(account);
        em.createQuery("DELETE FROM UserSession s WHERE s.account = :name").setParameter("name", name).executeUpdate();
        em.remove(account);
        em.flush();
        LOG.info(() -> "CMTP account deleted: " + name + " with " + messages + " message(s)");
    }

    /**
     * Replaces the account's xzibit with one its holder sealed with a new password (the user
     * API's password change). The server cannot open it; it checks that it is well-formed.
     */
    public void replaceXzibit(String name, byte[] xzibit) {
        Account account = find(name).orElseThrow(() -> AccountException.notFound(name));
        try {
            account.setXzibit(Xzibit.parse(xzibit).toBytes());
        } catch (RuntimeException e) {
            throw new AccountException(AccountException.Kind.INVALID, "xzibit", "not a well-formed xzibit: " + e.getMessage());
        }
        LOG.info(() -> "CMTP account " + name + ": its holder sealed the key with a new password");
    }

    public Account setEnabled(String name, boolean enabled) {
        Account account = find(name).orElseThrow(() -> AccountException.notFound(name));
        account.setEnabled(enabled);
        LOG.info(() -> "CMTP account " + name + (enabled ? " enabled" : " disabled"));
        return account;
    }

    /**
     * Sets the account's mailbox limits in bytes and messages: a limit given as null keeps
     * its value, 0 removes it (unlimited); a negative one is refused.
     */
    public Account setQuota(String name, Long bytes, Long messages) {
        Account account = find(name).orElseThrow(() -> AccountException.notFound(name));
        if (bytes != null && bytes < 0) {
            throw new AccountException(AccountException.Kind.INVALID, "quotaBytes", "quotaBytes must be ≥ 0 (0: unlimited)");
        }
        if (messages != null && messages < 0) {
            throw new AccountException(AccountException.Kind.INVALID, "quotaMessages",
                    "quotaMessages must be ≥ 0 (0: unlimited)");
        }
        account.setQuota(bytes != null ? bytes : account.getQuotaBytes(),
                messages != null ? messages : account.getQuotaMessages());
        LOG.info(() -> "CMTP account " + name + " quota: " + describe(account.getQuotaBytes(), " bytes") + ", "
                + describe(account.getQuotaMessages(), " messages"));
        return account;
    }

    private static String describe(Long limit, String unit) {
        return limit == null ? "unlimited" + unit : limit + unit;
    }

    private void checkNewName(String name) {
        try {
            MailAddress.validateName("name", name);
        } catch (InvalidAddressException e) {
            throw new AccountException(AccountException.Kind.INVALID, "name", e.getMessage());
        }
        if (find(name).isPresent()) {
            throw new AccountException(AccountException.Kind.EXISTS, "name", "an account named '" + name + "' exists");
        }
    }

    private Account persist(Account account) {
        em.persist(account);
        em.flush();
        LOG.info(() -> "CMTP account created: " + account.getName());
        return account;
    }
}
