package org.cmtp.server.user;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.cmtp.crypto.CryptoException;
import org.cmtp.crypto.Signatures;
import org.cmtp.protocol.DomainNames;
import org.cmtp.protocol.SignInStatement;
import org.cmtp.server.account.Account;
import org.cmtp.server.account.AccountService;
import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.identity.ServerIdentity;

/**
 * Sign-in by proof of key, and the sessions it opens (README "Users"). The server keeps no
 * password verifier: the password only seals the xzibit, which the client opens on its own
 * machine. To sign in, it signs a {@link SignInStatement} naming a single-use challenge
 * from {@link #challenge} with the account's key; {@link #signIn} checks that signature
 * with the account's public key and hands out a random token, of which only a hash is
 * stored. Everything lives in the database, so it holds on every instance sharing it.
 */
@Stateless
public class UserSessions {

    private static final Logger LOG = Logger.getLogger(UserSessions.class.getName());
    static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(2);
    /** A session's last use is written at most this often, not on every request. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @EJB
    private AccountService accounts;
    @EJB
    private ServerIdentity identity;
    @Inject
    private CmtpConfiguration configuration;

    /** A challenge and what the client signs besides it. */
    public record Challenge(byte[] challenge, String account, String domain, byte[] serverKey, Instant expires) {
    }

    /** Who a valid token signs in: the account, and the id of the session the token belongs to. */
    public record Holder(Account account, String sessionId) {
    }

    /** A new session: the token (shown once, never stored) and its record. */
    public record SignedIn(String token, UserSession session) {
    }

    /**
     * A single-use challenge for signing in as {@code account} at {@code domain} (one of this
     * server's domains). Handed out for any well-formed account name, existing or not, so
     * that it tells nobody which accounts exist.
     */
    public Challenge challenge(String account, String domain) {
        String canonical = DomainNames.canonical(domain == null ? "" : domain);
        if (canonical.isEmpty() || !configuration.isLocalDomain(canonical)) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "domain",
                    "'" + domain + "' is not a domain of this server");
        }
        requireAccountName(account);
        byte[] challenge = random(SignInStatement.CHALLENGE_BYTES);
        Instant expires = Instant.now().plus(CHALLENGE_LIFETIME).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        em.persist(new SignInChallenge(encode(challenge), account, canonical, expires));
        return new Challenge(challenge, account, canonical, identity.publicKey(), expires);
    }

    /**
     * Checks the proof and opens a session. The challenge is used up whatever the outcome, so
     * a refused proof cannot be retried with the same challenge.
     *
     * @throws UserAccessException UNAUTHENTICATED when the challenge is unknown, used, expired or
     *                             for another account or domain, the account is missing or
     *                             disabled, or the signature does not verify
     */
    public SignedIn signIn(String account, byte[] challenge, byte[] signature, String clientAddress) {
        requireAccountName(account);
        if (challenge == null || challenge.length != SignInStatement.CHALLENGE_BYTES) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "challenge", "the challenge is 32 bytes");
        }
        if (signature == null || signature.length != 64) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "signature", "the signature is 64 bytes");
        }
        SignInChallenge issued = em.find(SignInChallenge.class, encode(challenge));
        Instant now = Instant.now();
        if (issued == null || !issued.getAccount().equals(account) || !now.isBefore(issued.getExpires())) {
            throw refused(account, clientAddress, "the challenge is unknown, used, expired or for another account");
        }
        em.remove(issued); // single use
        Optional<Account> holder = accounts.findReadOnly(account).filter(Account::isEnabled);
        byte[] statement = SignInStatement.bytes(issued.getDomain(), account, identity.publicKey(), challenge,
                issued.getExpires());
        if (holder.isEmpty() || !verifies(holder.get().getPublicKey(), statement, signature)) {
            throw refused(account, clientAddress, "the signature does not prove the account's key");
        }
        String token = encode(random(32));
        UserSession session = new UserSession(HexFormat.of().formatHex(random(16)), hash(token), account, now,
                now.plusSeconds(configuration.userSessionSeconds()), clientAddress);
        em.persist(session);
        LOG.info(() -> "CMTP user " + account + " signed in from " + clientAddress + " (session " + session.getId() + ")");
        return new SignedIn(token, session);
    }

    /**
     * @return the account of a valid token: known, not expired, its account still existing and
     *         enabled (a disabled or deleted account's sessions stop working at once)
     */
    public Optional<Holder> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        Optional<UserSession> found = em.createQuery("SELECT s FROM UserSession s WHERE s.tokenHash = :hash",
                UserSession.class).setParameter("hash", hash(token)).getResultStream().findFirst();
        Instant now = Instant.now();
        if (found.isEmpty() || !now.isBefore(found.get().getExpires())) {
            return Optional.empty();
        }
        UserSession session = found.get();
        Optional<Account> account = accounts.findReadOnly(session.getAccount()).filter(Account::isEnabled);
        if (account.isPresent() && session.getLastUsed().plus(LAST_USED_PRECISION).isBefore(now)) {
            session.used(now);
        }
        return account.map(a -> new Holder(a, session.getId()));
    }

    /** The sessions of {@code account} that have not expired, newest first. */
    public List<UserSession> sessions(String account) {
        return em.createQuery("SELECT s FROM UserSession s WHERE s.account = :account AND s.expires > :now"
                + " ORDER BY s.created DESC", UserSession.class)
                .setParameter("account", account).setParameter("now", Instant.now()).getResultList();
    }

    /** Revokes a session of {@code account}; false when it has none of that id (another's included). */
    public boolean revoke(String account, String id) {
        UserSession session = em.find(UserSession.class, id);
        if (session == null || !session.getAccount().equals(account)) {
            return false;
        }
        em.remove(session);
        LOG.info(() -> "CMTP user " + account + " revoked session " + id);
        return true;
    }

    /** Forgets every session of an account (it was deleted). */
    public int revokeAll(String account) {
        return em.createQuery("DELETE FROM UserSession s WHERE s.account = :account")
                .setParameter("account", account).executeUpdate();
    }

    /** Deletes expired challenges and sessions; run now and then. */
    public int sweep() {
        Instant now = Instant.now();
        int challenges = em.createQuery("DELETE FROM SignInChallenge c WHERE c.expires <= :now")
                .setParameter("now", now).executeUpdate();
        int sessions = em.createQuery("DELETE FROM UserSession s WHERE s.expires <= :now")
                .setParameter("now", now).executeUpdate();
        return challenges + sessions;
    }

    private UserAccessException refused(String account, String clientAddress, String why) {
        LOG.info(() -> "CMTP sign-in as " + account + " from " + clientAddress + " refused: " + why);
        return new UserAccessException(UserAccessException.Kind.UNAUTHENTICATED, null,
                "sign-in refused: " + why);
    }

    private static void requireAccountName(String account) {
        if (account == null || account.isEmpty() || account.length() > 255
                || account.codePoints().anyMatch(Character::isISOControl)) {
            throw new UserAccessException(UserAccessException.Kind.INVALID, "account", "not an account name");
        }
    }

    private static boolean verifies(byte[] key, byte[] message, byte[] signature) {
        try {
            return Signatures.verify(key, message, signature);
        } catch (CryptoException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
