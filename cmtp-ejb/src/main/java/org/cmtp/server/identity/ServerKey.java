package org.cmtp.server.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

/**
 * The server's Ed25519 key pair: made once, on the first start, and kept. There is
 * exactly one row (id 1); every instance of a scaled-out domain shares it.
 */
@Entity
@Table(name = "CMTP_SERVER_KEY")
public class ServerKey {

    static final long THE_ONE = 1L;

    @Id
    private Long id;

    @Column(name = "PUBLIC_KEY", nullable = false, length = 32)
    private byte[] publicKey;

    @Column(name = "SECRET_KEY", nullable = false, length = 64)
    private byte[] secretKey;

    @Column(name = "CREATED", nullable = false)
    private Instant created;

    protected ServerKey() {
    }

    ServerKey(byte[] publicKey, byte[] secretKey, Instant created) {
        this.id = THE_ONE;
        this.publicKey = publicKey.clone();
        this.secretKey = secretKey.clone();
        this.created = InstantConverter.stored(created);
    }

    byte[] getPublicKey() {
        return publicKey.clone();
    }

    byte[] getSecretKey() {
        return secretKey.clone();
    }

    Instant getCreated() {
        return created;
    }
}
