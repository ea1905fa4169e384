package org.cmtp.server.identity;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.logging.Logger;

import org.cmtp.crypto.Signatures;
import org.cmtp.crypto.Ed25519KeyPair;
import org.cmtp.server.schema.InsertIfAbsent;

/**
 * This server's identity: the Ed25519 key pair that signs every reply. Made on the
 * very first start and stored; every later start (and every instance sharing the
 * database) loads the same key, so clients' pins stay valid. Instances that start
 * together on an empty database may each make a key; only the first one stored counts
 * (see {@link InsertIfAbsent}), and every instance uses the stored one.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator") // the schema is current before this bean reads it
@Lock(LockType.READ)
public class ServerIdentity {

    private static final Logger LOG = Logger.getLogger(ServerIdentity.class.getName());

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @EJB
    private InsertIfAbsent rows;

    private Ed25519KeyPair keyPair;
    private Instant since;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    void loadOrCreate() {
        ServerKey stored = em.find(ServerKey.class, ServerKey.THE_ONE);
        if (stored == null) {
            Ed25519KeyPair made = Ed25519KeyPair.generate(new SecureRandom());
            if (rows.insert(new ServerKey(made.publicKey(), made.secretKey(), Instant.now()))) {
                LOG.info("CMTP server key created: " + HexFormat.of().formatHex(made.publicKey()));
            }
            // Ours, or the one another instance stored first: never two keys for one domain.
            stored = em.find(ServerKey.class, ServerKey.THE_ONE);
            if (stored == null) {
                throw new IllegalStateException("CMTP server key could neither be stored nor read (see the log)");
            }
        }
        keyPair = Ed25519KeyPair.fromSecretKey(stored.getSecretKey());
        since = stored.getCreated();
        LOG.info("CMTP server key " + fingerprint());
    }

    public byte[] publicKey() {
        return keyPair.publicKey();
    }

    public Ed25519KeyPair keyPair() {
        return keyPair;
    }

    public Instant since() {
        return since;
    }

    /** Hex of the public key: short enough to read aloud when comparing pins. */
    public String fingerprint() {
        return HexFormat.of().formatHex(keyPair.publicKey());
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public byte[] sign(byte[] content) {
        return Signatures.sign(keyPair, content);
    }
}
