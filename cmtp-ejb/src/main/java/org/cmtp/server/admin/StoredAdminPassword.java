package org.cmtp.server.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

/**
 * The administrator's password as the database keeps it: only a PBKDF2 hash, in one row
 * (id 1). {@link AdminPassword} sets and checks it. The table keeps the name it had when
 * this class was called {@code AdminCredential}.
 */
@Entity
@Table(name = "CMTP_ADMIN_CREDENTIAL")
public class StoredAdminPassword {

    static final long THE_ONE = 1L;

    @Id
    private Long id;

    @Column(name = "PASSWORD_HASH", nullable = false, length = 512)
    private String passwordHash;

    @Column(name = "CHANGED", nullable = false)
    private Instant changed;

    /** A hash of the CMTP_ADMIN_PASSWORD last applied at a start (V8); null before, or never set. */
    @Column(name = "CONFIGURED_HASH", length = 512)
    private String configuredHash;

    protected StoredAdminPassword() {
    }

    StoredAdminPassword(String passwordHash, Instant changed) {
        this.id = THE_ONE;
        this.passwordHash = passwordHash;
        this.changed = InstantConverter.stored(changed);
    }

    String getPasswordHash() {
        return passwordHash;
    }

    String getConfiguredHash() {
        return configuredHash;
    }

    void setConfiguredHash(String configuredHash) {
        this.configuredHash = configuredHash;
    }

    void setPasswordHash(String passwordHash, Instant changed) {
        this.passwordHash = passwordHash;
        this.changed = InstantConverter.stored(changed);
    }
}
