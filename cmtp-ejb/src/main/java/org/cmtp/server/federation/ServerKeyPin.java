package org.cmtp.server.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

/**
 * The pinned key of another domain's CMTP server, trusted on first use. A different key
 * later is refused and kept here ({@code offeredKey}) for the operator to see; forgetting
 * the pin (deleting this row) lets the next contact pin the new key.
 */
@Entity
@Table(name = "CMTP_KNOWN_SERVER")
public class ServerKeyPin {

    @Id
    @Column(name = "DOMAIN", length = 255)
    private String domain;

    @Column(name = "PUBLIC_KEY", nullable = false, length = 32)
    private byte[] publicKey;

    @Column(name = "FIRST_SEEN", nullable = false)
    private Instant firstSeen;

    @Column(name = "LAST_SEEN", nullable = false)
    private Instant lastSeen;

    @Column(name = "OFFERED_KEY", length = 32)
    private byte[] offeredKey;

    @Column(name = "OFFERED_AT")
    private Instant offeredAt;

    /** The server answered with address-bound key replies once: it must from now on (PROTOCOL.md §4a). */
    @Column(name = "KEYBIND", nullable = false)
    private boolean keyBind;

    protected ServerKeyPin() {
    }

    ServerKeyPin(String domain, byte[] publicKey, Instant now) {
        this.domain = domain;
        this.publicKey = publicKey.clone();
        this.firstSeen = InstantConverter.stored(now);
        this.lastSeen = this.firstSeen;
    }

    public String getDomain() {
        return domain;
    }

    public byte[] getPublicKey() {
        return publicKey.clone();
    }

    public Instant getFirstSeen() {
        return firstSeen;
    }

    public Instant getLastSeen() {
        return lastSeen;
    }

    public byte[] getOfferedKey() {
        return offeredKey == null ? null : offeredKey.clone();
    }

    public Instant getOfferedAt() {
        return offeredAt;
    }

    public boolean isKeyBind() {
        return keyBind;
    }

    void keyBindSeen() {
        keyBind = true;
    }

    void seen(Instant now) {
        lastSeen = InstantConverter.stored(now);
    }

    void offered(byte[] key, Instant now) {
        offeredKey = key.clone();
        offeredAt = InstantConverter.stored(now);
    }
}
