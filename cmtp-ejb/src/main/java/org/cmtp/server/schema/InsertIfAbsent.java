package org.cmtp.server.schema;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import java.util.logging.Logger;

/**
 * Stores a row that must exist exactly once (the server key, the admin credential, a
 * domain's pin) when several instances on one database may all find it missing at the
 * same moment. The primary key decides: the first insert wins, the others fail on the
 * key, and every caller then reads whichever row won. Its own transaction, so a lost
 * race rolls back only the insert, not the caller's work.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class InsertIfAbsent {

    private static final Logger LOG = Logger.getLogger(InsertIfAbsent.class.getName());

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;
    @Resource
    private SessionContext context;

    /**
     * Inserts {@code row} and commits; false when that failed, normally because another
     * instance inserted a row with the same primary key first. The caller reads the row
     * again either way and reports an error if there still is none.
     */
    public boolean insert(Object row) {
        try {
            em.persist(row);
            em.flush();
            return true;
        } catch (PersistenceException e) {
            context.setRollbackOnly();
            // The database's own words (e.g. "duplicate key … already exists"), not the whole
            // provider message, which describes the query and its row.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String reason = cause.getMessage();
            LOG.info(() -> "CMTP " + row.getClass().getSimpleName() + " not inserted (another instance was first?): "
                    + reason);
            return false;
        }
    }
}
