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

/**
 * The administrator's password. Given by the operator ({@code CMTP_ADMIN_PASSWORD}) it
 * replaces the stored hash at start; never given, a random one is made on the first
 * start and printed once in the log. Only a PBKDF2 hash is ever stored.
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
    private ServerIdentity identity; // started first: the key is made before the console opens

    private volatile String passwordHash;
    private final VerifiedPasswordCache verified = new VerifiedPasswordCache();

    @PostConstruct
    void establish() {
        AdminCredential stored = em.find(AdminCredential.class, AdminCredential.THE_ONE);
        String configured = configuration.adminPassword().orElse(null);
        if (configured != null) {
            String hash = stored != null && PasswordHash.matches(configured.toCharArray(), stored.getPasswordHash())
                    ? stored.getPasswordHash() : PasswordHash.of(configured.toCharArray());
            stored = save(stored, hash);
        } else if (stored == null) {
            String generated = PasswordHash.randomPassword();
            stored = save(null, PasswordHash.of(generated.toCharArray()));
            LOG.warning("CMTP admin password generated (shown only this once; set CMTP_ADMIN_PASSWORD to choose one): "
                    + generated);
        }
        passwordHash = stored.getPasswordHash();
    }

    private AdminCredential save(AdminCredential stored, String hash) {
        if (stored == null) {
            AdminCredential created = new AdminCredential(hash, Instant.now());
            em.persist(created);
            return created;
        }
        if (!hash.equals(stored.getPasswordHash())) {
            stored.setPasswordHash(hash, Instant.now());
        }
        return stored;
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
