package org.cmtp.server.admin;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.server.schema.InsertIfAbsent;

/**
 * The administrator's password: set at start, checked at every admin sign-in, changed
 * through the admin API; kept as a {@link StoredAdminPassword} row. Given by the operator
 * ({@code CMTP_ADMIN_PASSWORD}) it replaces the stored hash at start; never given, a random
 * one is made on the first start and handed to the operator once: in an owner-only file
 * under {@code ./cmtp-server} ({@code $CMTP_DATA_DIR/admin-password}, deleted at the first
 * sign-in with it), in the log otherwise. Only a PBKDF2 hash is ever stored. Instances that
 * share a database share the row; give them all the same password.
 *
 * <p>The password can be changed through the admin API ({@link #change}) without a restart.
 * Every check reads the stored hash (one row by key, a report query past the JPA cache), so
 * every instance sharing the database takes a new password at once. A start with
 * {@code CMTP_ADMIN_PASSWORD} replaces the stored password only when that setting is not the
 * one applied last time ({@code CONFIGURED_HASH}), so restarting with an unchanged setting
 * keeps a password changed through the API.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator") // the schema is current before this bean reads it
@Lock(LockType.READ)
public class AdminPassword {

    private static final Logger LOG = Logger.getLogger(AdminPassword.class.getName());
    public static final String ADMIN_USER = "admin";
    /** The shortest admin password the admin API accepts, as for account passwords. */
    public static final int MIN_LENGTH = 12;

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @Inject
    private CmtpConfiguration configuration;
    @jakarta.ejb.EJB
    private InsertIfAbsent rows;
    @jakarta.ejb.EJB
    private ServerIdentity identity; // started first: the key is made before the console opens

    private volatile String passwordHash;
    private final VerifiedPasswordCache verified = new VerifiedPasswordCache();

    @PostConstruct
    void establish() {
        String configured = configuration.adminPassword().orElse(null);
        StoredAdminPassword stored = em.find(StoredAdminPassword.class, StoredAdminPassword.THE_ONE);
        if (stored == null) {
            String generated = configured == null ? PasswordHash.randomPassword() : null;
            String password = configured != null ? configured : generated;
            StoredAdminPassword made = new StoredAdminPassword(PasswordHash.of(password.toCharArray()), Instant.now());
            if (configured != null) {
                made.setConfiguredHash(made.getPasswordHash());
            }
            if (rows.insert(made) && generated != null) {
                handOver(generated);
            }
            // Ours, or the one another instance starting at the same time stored first.
            stored = em.find(StoredAdminPassword.class, StoredAdminPassword.THE_ONE);
            if (stored == null) {
                throw new IllegalStateException("CMTP the admin password's row could neither be stored nor read (see the log)");
            }
        }
        if (configured != null) {
            String applied = stored.getConfiguredHash();
            if (applied == null) {
                // before V8, or only generated so far: the setting is the password unless it differs
                if (PasswordHash.matches(configured.toCharArray(), stored.getPasswordHash())) {
                    stored.setConfiguredHash(stored.getPasswordHash());
                } else {
                    apply(stored, configured);
                }
            } else if (!PasswordHash.matches(configured.toCharArray(), applied)) {
                apply(stored, configured); // a new CMTP_ADMIN_PASSWORD: the operator's word wins
            }
        }
        if (configured != null) {
            configuration.generatedAdminPasswordFile().ifPresent(file -> GeneratedPasswordFile.delete(file,
                    "the admin password is now the one given in CMTP_ADMIN_PASSWORD"));
        }
        passwordHash = stored.getPasswordHash();
    }

    private static void apply(StoredAdminPassword stored, String configured) {
        String hash = PasswordHash.of(configured.toCharArray());
        stored.setPasswordHash(hash, Instant.now());
        stored.setConfiguredHash(hash);
        LOG.info("CMTP admin password set from CMTP_ADMIN_PASSWORD (cmtp.admin-password)");
    }

    /**
     * The stored hash as the database has it now (another instance may have changed it a
     * moment ago); the last one read if the database cannot be asked.
     */
    private String currentHash() {
        try {
            List<String> hashes = em.createQuery(
                    "SELECT c.passwordHash FROM StoredAdminPassword c WHERE c.id = :id", String.class)
                    .setParameter("id", StoredAdminPassword.THE_ONE)
                    .setHint("jakarta.persistence.cache.retrieveMode", jakarta.persistence.CacheRetrieveMode.BYPASS)
                    .getResultList();
            if (!hashes.isEmpty()) {
                passwordHash = hashes.get(0);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "CMTP admin password hash not read; using the last one read", e);
        }
        return passwordHash;
    }

    /**
     * Changes the admin password (the admin API's {@code PUT /api/admin/password}): checks
     * {@code current} against the stored hash, then stores a hash of {@code replacement}; every
     * instance sharing the database checks against it from its next request on.
     *
     * @throws AdminPasswordException naming the field at fault
     */
    @Lock(LockType.WRITE)
    public void change(char[] current, char[] replacement) {
        if (current == null || current.length == 0) {
            throw new AdminPasswordException("currentPassword", "give the current admin password");
        }
        if (replacement == null || replacement.length < MIN_LENGTH) {
            throw new AdminPasswordException("newPassword",
                    "the new admin password needs at least " + MIN_LENGTH + " characters");
        }
        if (!PasswordHash.matches(current, currentHash())) {
            throw new AdminPasswordException("currentPassword", "currentPassword is not the admin password");
        }
        String hash = PasswordHash.of(replacement);
        StoredAdminPassword stored = em.find(StoredAdminPassword.class, StoredAdminPassword.THE_ONE);
        if (stored == null) {
            throw new IllegalStateException("the admin password's row (CMTP_ADMIN_CREDENTIAL) is missing");
        }
        em.refresh(stored); // the row as it is now, not as this instance's cache last saw it
        stored.setPasswordHash(hash, Instant.now());
        em.flush();
        passwordHash = hash;
        configuration.generatedAdminPasswordFile().ifPresent(file -> GeneratedPasswordFile.delete(file,
                "the admin password has been changed through the admin API"));
        LOG.info("CMTP admin password changed through the admin API");
    }

    /**
     * Tells the operator the generated password: in an owner-only file when
     * {@code cmtp.generated-admin-password-file} is set (the launcher sets it), so that it
     * never reaches the log, which is kept, rotated and copied by whatever collects the
     * server's output; otherwise (the EAR), or if the file cannot be written, in the log.
     */
    private void handOver(String generated) {
        Optional<Path> file = configuration.generatedAdminPasswordFile();
        if (file.isPresent()) {
            try {
                GeneratedPasswordFile.write(file.get(), generated);
                LOG.warning("CMTP admin password generated and written to " + file.get() + " (readable by this user"
                        + " only; deleted at the first admin sign-in with it). Set CMTP_ADMIN_PASSWORD to choose one.");
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "CMTP could not write the generated admin password to " + file.get()
                        + " (cmtp.generated-admin-password-file); it is shown in the log instead", e);
            }
        }
        LOG.warning("CMTP admin password generated (shown only this once; set CMTP_ADMIN_PASSWORD to choose"
                + " one): " + generated);
    }

    /**
     * Whether {@code user}/{@code password} are the administrator's credentials that
     * {@link #check} accepted in the last few minutes: a cheap digest comparison, no PBKDF2.
     * A wrong password is never remembered, so this never says yes to a guess.
     */
    public boolean recentlyVerified(String user, char[] password) {
        return ADMIN_USER.equals(user) && password != null && verified.contains(currentHash(), password);
    }

    /** Whether {@code user}/{@code password} are the administrator's. */
    public boolean check(String user, char[] password) {
        if (!ADMIN_USER.equals(user) || password == null) {
            return false;
        }
        String hash = currentHash();
        if (verified.contains(hash, password)) {
            return true;
        }
        boolean ok = PasswordHash.matches(password, hash);
        if (ok) {
            verified.remember(hash, password);
            // the operator has the generated password now: the file need not hold it any longer
            configuration.generatedAdminPasswordFile().ifPresent(file -> GeneratedPasswordFile.delete(file,
                    "the generated admin password has been used to sign in"));
        }
        return ok;
    }
}
