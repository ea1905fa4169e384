package org.cmtp.server.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

/**
 * A signed-in session of an account holder. The token itself is never stored: only its
 * SHA-256 hash, so a copy of the database signs nobody in. {@code id} is a separate public
 * name, for listing and revoking sessions.
 */
@Entity
@Table(name = "CMTP_USER_SESSION")
public class UserSession {

    @Id
    @Column(name = "ID", length = 32)
    private String id;

    @Column(name = "TOKEN_HASH", nullable = false, length = 64)
    private String tokenHash;

    @Column(name = "ACCOUNT_NAME", nullable = false, length = 255)
    private String account;

    @Column(name = "CREATED", nullable = false)
    private Instant created;

    @Column(name = "EXPIRES", nullable = false)
    private Instant expires;

    @Column(name = "LAST_USED", nullable = false)
    private Instant lastUsed;

    @Column(name = "CLIENT_ADDRESS", nullable = false, length = 64)
    private String clientAddress;

    protected UserSession() {
    }

    UserSession(String id, String tokenHash, String account, Instant created, Instant expires, String clientAddress) {
        this.id = id;
        this.tokenHash = tokenHash;
        this.account = account;
        this.created = InstantConverter.stored(created);
        this.expires = InstantConverter.stored(expires);
        this.lastUsed = this.created;
        this.clientAddress = clientAddress;
    }

    public String getId() {
        return id;
    }

    public String getAccount() {
        return account;
    }

    public Instant getCreated() {
        return created;
    }

    public Instant getExpires() {
        return expires;
    }

    public Instant getLastUsed() {
        return lastUsed;
    }

    public String getClientAddress() {
        return clientAddress;
    }

    void used(Instant now) {
        lastUsed = InstantConverter.stored(now);
    }
}
