package org.cmtp.server.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

/**
 * A mail account of this server. The server keeps the account's public key and its
 * xzibit (the password-protected key pair); it never keeps the password nor the
 * secret key in clear. Account names are shared by all domains the server serves.
 */
@Entity
@Table(name = "CMTP_ACCOUNT")
@NamedQuery(name = Account.BY_NAME, query = "SELECT a FROM Account a WHERE a.name = :name")
// EclipseLink's default TABLE generator, spelled out: the schema (V1) has this table and
// row, and Hibernate (WildFly) would otherwise look for its own HIBERNATE_SEQUENCES.
@TableGenerator(name = Account.ID_GENERATOR, table = "SEQUENCE", pkColumnName = "SEQ_NAME",
        valueColumnName = "SEQ_COUNT", pkColumnValue = "SEQ_GEN_TABLE", allocationSize = 50)
public class Account {

    /** The one id generator of every entity with a generated id. */
    public static final String ID_GENERATOR = "SEQ_GEN_TABLE";

    static final String BY_NAME = "Account.byName";

    @Id
    @GeneratedValue(strategy = GenerationType.TABLE, generator = ID_GENERATOR)
    private Long id;

    @Column(name = "NAME", nullable = false, unique = true, length = 255)
    private String name;

    @Column(name = "PUBLIC_KEY", nullable = false, length = 32)
    private byte[] publicKey;

    @Lob
    @Column(name = "XZIBIT", nullable = false)
    private byte[] xzibit;

    @Column(name = "CREATED", nullable = false)
    private Instant created;

    @Column(name = "ENABLED", nullable = false)
    private boolean enabled;

    /** Most bytes the mailbox may hold (sum of the stored sizes); null: unlimited (V8). */
    @Column(name = "QUOTA_BYTES")
    private Long quotaBytes;

    /** Most messages the mailbox may hold; null: unlimited (V8). */
    @Column(name = "QUOTA_MESSAGES")
    private Long quotaMessages;

    protected Account() {
    }

    public Account(String name, byte[] publicKey, byte[] xzibit, Instant created) {
        this.name = name;
        this.publicKey = publicKey.clone();
        this.xzibit = xzibit.clone();
        this.created = InstantConverter.stored(created);
        this.enabled = true;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public byte[] getPublicKey() {
        return publicKey.clone();
    }

    public byte[] getXzibit() {
        return xzibit.clone();
    }

    /** A new xzibit for the same key pair, sealed with another password by the holder. */
    void setXzibit(byte[] xzibit) {
        this.xzibit = xzibit.clone();
    }

    public Instant getCreated() {
        return created;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Long getQuotaBytes() {
        return quotaBytes;
    }

    public Long getQuotaMessages() {
        return quotaMessages;
    }

    /** Null or 0 clears a limit (unlimited). */
    public void setQuota(Long bytes, Long messages) {
        this.quotaBytes = bytes == null || bytes == 0 ? null : bytes;
        this.quotaMessages = messages == null || messages == 0 ? null : messages;
    }

    /** Whether either limit is set. */
    public boolean hasQuota() {
        return quotaBytes != null || quotaMessages != null;
    }
}
