package org.cmtp.server.relay;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.account.Account;
import org.cmtp.protocol.DomainNames;
import org.cmtp.server.persistence.InstantConverter;

/**
 * A message waiting to be relayed to another domain: the exact bytes to send (the
 * client's message plus this server's log line), whom it is for, and how delivery has
 * gone so far. A worker claims it with a lease ({@code leaseOwner}, {@code leaseUntil})
 * so that of several workers, on one instance or many, exactly one tries it at a time.
 */
@Entity
@Table(name = "CMTP_RELAY_QUEUE", indexes = @Index(name = "CMTP_RELAY_DUE", columnList = "NEXT_ATTEMPT"))
public class QueuedMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.TABLE, generator = Account.ID_GENERATOR)
    private Long id;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "CONTENT", nullable = false)
    private byte[] content;

    @Column(name = "SENDER", nullable = false, length = 520)
    private String sender;

    @Column(name = "RECIPIENT_ACCOUNT", nullable = false, length = 255)
    private String recipientAccount;

    @Column(name = "RECIPIENT_DOMAIN", nullable = false, length = 255)
    private String recipientDomain;

    @Column(name = "QUEUED", nullable = false)
    private Instant queued;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "NEXT_ATTEMPT", nullable = false)
    private Instant nextAttempt;

    @Column(name = "LAST_ERROR", length = 1000)
    private String lastError;

    @Column(name = "LEASE_OWNER", length = 100)
    private String leaseOwner;

    @Column(name = "LEASE_UNTIL")
    private Instant leaseUntil;

    /** Delivery notices are never answered with another notice. */
    @Column(name = "IS_NOTICE", nullable = false)
    private boolean notice;

    protected QueuedMessage() {
    }

    public QueuedMessage(byte[] content, String sender, String recipientAccount, String recipientDomain,
            Instant queued, boolean notice) {
        this.content = content;
        this.sender = sender;
        this.recipientAccount = recipientAccount;
        this.recipientDomain = DomainNames.canonical(recipientDomain); // one spelling: claimed and delivered per domain
        this.queued = InstantConverter.stored(queued);
        this.nextAttempt = this.queued;
        this.notice = notice;
    }

    public Long getId() {
        return id;
    }

    public byte[] getContent() {
        return content;
    }

    public String getSender() {
        return sender;
    }

    public String getRecipientAccount() {
        return recipientAccount;
    }

    public String getRecipientDomain() {
        return recipientDomain;
    }

    public String recipient() {
        return recipientAccount + "@" + recipientDomain;
    }

    public Instant getQueued() {
        return queued;
    }

    public int getAttempts() {
        return attempts;
    }

    public Instant getNextAttempt() {
        return nextAttempt;
    }

    public String getLastError() {
        return lastError;
    }

    public boolean isNotice() {
        return notice;
    }

    void failedAttempt(String error, Instant next) {
        attempts++;
        lastError = error.length() > 1000 ? error.substring(0, 1000) : error;
        nextAttempt = InstantConverter.stored(next);
        releaseLease();
    }

    void retryNow(Instant now) {
        nextAttempt = InstantConverter.stored(now);
        releaseLease();
    }

    void releaseLease() {
        leaseOwner = null;
        leaseUntil = null;
    }
}
