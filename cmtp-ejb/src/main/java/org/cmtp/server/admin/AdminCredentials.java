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
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.cmtp.server.config.CmtpConfiguration;
import org.cmtp.server.identity.ServerIdentity;
import org.cmtp.server.schema.InsertIfAbsent;

/**
 * The administrator's password. Given by the operator ({@code CMTP_ADMIN_PASSWORD}) it
 * replaces the stored hash at start; never given, a random one is made on the first
 * start and handed to the operator once: in an owner-only file under {@code ./cmtp-server}
 * ({@code $CMTP_DATA_DIR/admin-password}, deleted at the first sign-in with it), in the
 * log otherwise. Only a PBKDF2 hash is ever stored. Instances that
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
                handOver(generated);
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
        if (configured != null) {
            configuration.generatedAdminPasswordFile().ifPresent(file -> GeneratedPasswordFile.delete(file,
                    "the admin password is now the one given in CMTP_ADMIN_PASSWORD"));
        }
        passwordHash = stored.getPasswordHash();
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
            // the operator has the generated password now: the file need not hold it any longer
            configuration.generatedAdminPasswordFile().ifPresent(file -> GeneratedPasswordFile.delete(file,
                    "the generated admin password has been used to sign in"));
        }
        return ok;
    }
}
