package org.cmtp.server.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

/** The administrator's password, only as a PBKDF2 hash (one row, id 1). */
@Entity
@Table(name = "CMTP_ADMIN_CREDENTIAL")
public class AdminCredential {

    static final long THE_ONE = 1L;

    @Id
    private Long id;

    @Column(name = "PASSWORD_HASH", nullable = false, length = 512)
    private String passwordHash;

    @Column(name = "CHANGED", nullable = false)
    private Instant changed;

    protected AdminCredential() {
    }

    AdminCredential(String passwordHash, Instant changed) {
        this.id = THE_ONE;
        this.passwordHash = passwordHash;
        this.changed = InstantConverter.stored(changed);
    }

    String getPasswordHash() {
        return passwordHash;
    }

    void setPasswordHash(String passwordHash, Instant changed) {
        this.passwordHash = passwordHash;
        this.changed = InstantConverter.stored(changed);
    }
}
