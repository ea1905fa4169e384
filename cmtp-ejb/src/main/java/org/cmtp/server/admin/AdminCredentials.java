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

import java.time.Instant;
import java.util.logging.Logger;

import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.server.schema.InsertIfAbsent;

/**
 * The administrator's password. Given by the operator ({@code CMTP_ADMIN_PASSWORD}) it
 * replaces the stored hash at start; never given, a random one is made on the first
 * start and printed once in the log. Only a PBKDF2 hash is ever stored. Instances that
 * share a database share the row; give them all the same password.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator") // the schema is current before this bean reads it
@Lock(LockType.READ)
public class AdminCredentials {

    private static final Logger LOG = Logger.getLogger(AdminCredentials.class.getName());
    public static final String ADMIN_USER = "admin";

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
        AdminCredential stored = em.find(AdminCredential.class, AdminCredential.THE_ONE);
        if (stored == null) {
            String generated = configured == null ? PasswordHash.randomPassword() : null;
            String password = configured != null ? configured : generated;
            if (rows.insert(new AdminCredential(PasswordHash.of(password.toCharArray()), Instant.now()))
                    && generated != null) {
                LOG.warning("CMTP admin password generated (shown only this once; set CMTP_ADMIN_PASSWORD to choose"
                        + " one): " + generated);
            }
            // Ours, or the one another instance starting at the same time stored first.
            stored = em.find(AdminCredential.class, AdminCredential.THE_ONE);
            if (stored == null) {
                throw new IllegalStateException("CMTP admin credential could neither be stored nor read (see the log)");
            }
        }
        if (configured != null && !PasswordHash.matches(configured.toCharArray(), stored.getPasswordHash())) {
            stored.setPasswordHash(PasswordHash.of(configured.toCharArray()), Instant.now());
        }
        passwordHash = stored.getPasswordHash();
    }

    /**
     * Whether {@code user}/{@code password} are the administrator's credentials that
     * {@link #check} accepted in the last few minutes: a cheap digest comparison, no PBKDF2.
     * A wrong password is never remembered, so this never says yes to a guess.
     */
    public boolean recentlyVerified(String user, char[] password) {
        return ADMIN_USER.equals(user) && password != null && verified.contains(passwordHash, password);
    }

    /** Whether {@code user}/{@code password} are the administrator's. */
    public boolean check(String user, char[] password) {
        if (!ADMIN_USER.equals(user) || password == null) {
            return false;
        }
        String hash = passwordHash;
        if (verified.contains(hash, password)) {
            return true;
        }
        boolean ok = PasswordHash.matches(password, hash);
        if (ok) {
            verified.remember(hash, password);
        }
        return ok;
    }
}
