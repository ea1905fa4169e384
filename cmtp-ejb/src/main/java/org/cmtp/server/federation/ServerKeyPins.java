package org.cmtp.server.federation;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

import org.cmtp.protocol.DomainNames;
import org.cmtp.server.schema.InsertIfAbsent;

/**
 * The pins of other domains' server keys: trust on first use, refuse a change until an
 * operator forgets the pin. Every check commits on its own, so a pin made while relaying
 * a key survives whatever happens to the request after it. Domains are pinned in canonical
 * form ({@link DomainNames#canonical}), so {@code example.org.} cannot get a pin of its own.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class ServerKeyPins {

    private static final Logger LOG = Logger.getLogger(ServerKeyPins.class.getName());

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @EJB
    private InsertIfAbsent rows;

    /**
     * Accepts {@code key} as the server key of {@code domain}: pins it on first contact,
     * passes if it equals the pin, throws if it differs.
     */
    public void check(String domain, byte[] key) throws ServerKeyChangedException {
        String name = DomainNames.canonical(domain);
        ServerKeyPin known = em.find(ServerKeyPin.class, name);
        Instant now = Instant.now();
        if (known == null) {
            if (rows.insert(new ServerKeyPin(name, key, now))) {
                LOG.info(() -> "CMTP pinned the server key of " + name + " on first contact");
                return;
            }
            // Another instance met the same domain at the same moment and pinned first: its pin counts.
            known = em.find(ServerKeyPin.class, name);
            if (known == null) {
                throw new IllegalStateException("CMTP could neither pin nor read the server key of " + name);
            }
        }
        if (!MessageDigest.isEqual(known.getPublicKey(), key)) {
            known.offered(key, now);
            ServerKeyChangedException refused = new ServerKeyChangedException(name, known.getPublicKey(), key);
            LOG.warning(refused.getMessage());
            throw refused;
        }
        known.seen(now);
    }

    /**
     * @return whether the pinned server of {@code domain} has answered with address-bound key
     *         replies (KEYBIND) before, and so must now; false for an unknown domain
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean requiresKeyBind(String domain) {
        ServerKeyPin known = em.find(ServerKeyPin.class, DomainNames.canonical(domain));
        return known != null && known.isKeyBind();
    }

    /** Remembers that the pinned server of {@code domain} speaks KEYBIND; from now on it must. */
    public void keyBindSeen(String domain) {
        ServerKeyPin known = em.find(ServerKeyPin.class, DomainNames.canonical(domain));
        if (known != null && !known.isKeyBind()) {
            known.keyBindSeen();
            LOG.info(() -> "CMTP the server of " + known.getDomain() + " speaks KEYBIND: its key replies must be"
                    + " address-bound from now on");
        }
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ServerKeyPin> list() {
        return list(0, Integer.MAX_VALUE);
    }

    /** One page of the pins, by domain. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ServerKeyPin> list(int offset, int limit) {
        return em.createQuery("SELECT k FROM ServerKeyPin k ORDER BY k.domain", ServerKeyPin.class)
                .setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long count() {
        return em.createQuery("SELECT COUNT(k) FROM ServerKeyPin k", Long.class).getSingleResult();
    }

    /** Forgets the pin of {@code domain}; the next contact pins whatever key it offers. */
    public boolean forget(String domain) {
        ServerKeyPin known = em.find(ServerKeyPin.class, DomainNames.canonical(domain));
        if (known == null) {
            return false;
        }
        em.remove(known);
        LOG.info(() -> "CMTP forgot the pinned server key of " + known.getDomain());
        return true;
    }
}
