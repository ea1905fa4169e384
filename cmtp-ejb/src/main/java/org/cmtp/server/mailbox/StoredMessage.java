package org.cmtp.server.mailbox;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;

import org.cmtp.server.persistence.InstantConverter;

import org.cmtp.server.account.Account;

/**
 * A message delivered into an account's mailbox: the exact bytes the client sent,
 * plus this server's log line (PROTOCOL.md §6), and what the receipt was signed over.
 */
@Entity
@Table(name = "CMTP_MESSAGE", indexes = @Index(name = "CMTP_MESSAGE_ACCOUNT", columnList = "ACCOUNT_ID,RECEIVED"))
public class StoredMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.TABLE, generator = Account.ID_GENERATOR)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "ACCOUNT_ID", nullable = false)
    private Account account;

    /**
     * Loaded only for raw download: listing a mailbox must not read every body. Null when
     * the body is in a file of its own ({@link #bodyFile}).
     */
    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "CONTENT")
    private byte[] content;

    /** The body's file relative to the body directory ({@link BodyFiles}), or null when the body is in the row. */
    @Column(name = "BODY_FILE", length = 80)
    private String bodyFile;

    @Column(name = "SENDER", nullable = false, length = 520)
    private String sender;

    @Column(name = "SIZE_BYTES", nullable = false)
    private long size;

    @Column(name = "RECEIVED", nullable = false)
    private Instant received;

    @Column(name = "CLIENT_ADDRESS", nullable = false, length = 64)
    private String clientAddress;

    @Column(name = "RECEIPT_HASH", nullable = false, length = 64)
    private byte[] receiptHash;

    /** Read by its account holder (the user API's read flag). */
    @Column(name = "SEEN", nullable = false)
    private boolean seen;

    /** The attachments' sizes, comma-separated (empty: none), so that listing needs no content; null before V7. */
    @Column(name = "ATTACHMENT_SIZES", length = 12000)
    private String attachmentSizes;

    /**
     * Arrived through the SMTP gateway (README "Living beside SMTP"): sealed by this server
     * on arrival, so the sender's words crossed the SMTP world readable; not end to end.
     * Set only by the gateway, never from anything a sender writes. False before V9.
     */
    @Column(name = "VIA_SMTP", nullable = false)
    private boolean viaSmtp;

    protected StoredMessage() {
    }

    public StoredMessage(Account account, byte[] content, String sender, Instant received, String clientAddress,
            byte[] receiptHash) {
        this.account = account;
        this.content = content;
        this.sender = sender;
        this.size = content.length;
        this.received = InstantConverter.stored(received);
        this.clientAddress = clientAddress;
        this.receiptHash = receiptHash.clone();
        this.attachmentSizes = AttachmentSizes.of(content);
    }

    /** A new, not yet persisted message with the same contents (for a retry after a rolled-back transaction). */
    StoredMessage copy() {
        StoredMessage copy = new StoredMessage(account, new byte[0], sender, received, clientAddress, receiptHash);
        copy.content = content;
        copy.size = size;
        copy.bodyFile = bodyFile;
        copy.attachmentSizes = attachmentSizes;
        copy.viaSmtp = viaSmtp;
        return copy;
    }

    /**
     * The body is kept in {@code file} (already written and on the disk): the row carries
     * only its name. The bytes stay with the caller, who still holds them.
     */
    void keepBodyIn(String file) {
        this.bodyFile = file;
        this.content = null;
    }

    /** Points the message at the account as managed by the storing transaction (the caller's copy may be a shared read-only one). */
    void attachTo(Account managed) {
        this.account = managed;
    }

    /** Marks the message as taken in by the SMTP gateway and sealed here (see {@link #isViaSmtp()}). */
    public StoredMessage arrivedBySmtp() {
        this.viaSmtp = true;
        return this;
    }

    public boolean isViaSmtp() {
        return viaSmtp;
    }

    public Long getId() {
        return id;
    }

    public Account getAccount() {
        return account;
    }

    /** The body when it is kept in the row; null when it is in {@link #getBodyFile()}. */
    public byte[] getContent() {
        return content;
    }

    public String getBodyFile() {
        return bodyFile;
    }

    public String getSender() {
        return sender;
    }

    public long getSize() {
        return size;
    }

    public Instant getReceived() {
        return received;
    }

    public String getClientAddress() {
        return clientAddress;
    }

    public byte[] getReceiptHash() {
        return receiptHash.clone();
    }

    public boolean isSeen() {
        return seen;
    }

    void setSeen(boolean seen) {
        this.seen = seen;
    }
}
