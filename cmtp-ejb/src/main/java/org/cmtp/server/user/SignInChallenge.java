package org.cmtp.server.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

/**
 * A single-use challenge handed to someone who wants to sign in as an account: the
 * signed statement must name it, and it is deleted by the first sign-in that uses it, or
 * once it has expired. Kept in the database, so that it may be answered on any instance.
 */
@Entity
@Table(name = "CMTP_SIGNIN_CHALLENGE")
public class SignInChallenge {

    /** The 32 random bytes, base64url without padding. */
    @Id
    @Column(name = "CHALLENGE", length = 64)
    private String challenge;

    @Column(name = "ACCOUNT_NAME", nullable = false, length = 255)
    private String account;

    @Column(name = "DOMAIN", nullable = false, length = 255)
    private String domain;

    @Column(name = "EXPIRES", nullable = false)
    private Instant expires;

    protected SignInChallenge() {
    }

    SignInChallenge(String challenge, String account, String domain, Instant expires) {
        this.challenge = challenge;
        this.account = account;
        this.domain = domain;
        this.expires = InstantConverter.stored(expires);
    }

    public String getChallenge() {
        return challenge;
    }

    public String getAccount() {
        return account;
    }

    public String getDomain() {
        return domain;
    }

    public Instant getExpires() {
        return expires;
    }
}
