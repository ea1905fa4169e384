package org.cmtp.server.metrics;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;

/**
 * The table of message counts per hour and event ({@code CMTP_TRAFFIC_HOUR}), which every
 * instance of the domain adds to: what {@code GET /api/stats} reports, across restarts and
 * instances. Written in batches by {@link HourlyTraffic#flush()}, never per message.
 */
@Stateless
public class TrafficHours {

    @PersistenceContext(unitName = "cmtp")
    private EntityManager em;

    /** For the container, which injects the entity manager. */
    public TrafficHours() {
    }

    /** Outside a container: on {@code em}, whose transactions the caller begins and ends (HourlyTrafficTest). */
    TrafficHours(EntityManager em) {
        this.em = em;
    }

    /**
     * Adds {@code messages} to the count of {@code event} in hour {@code epochHour}, in a
     * transaction of its own. Two instances creating the same row at once: one of them fails
     * on the primary key, and its caller adds the count again on its next flush.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void add(long epochHour, String event, long messages) {
        int updated = em.createNativeQuery(
                        "UPDATE CMTP_TRAFFIC_HOUR SET MESSAGES = MESSAGES + ? WHERE EPOCH_HOUR = ? AND EVENT = ?")
                .setParameter(1, messages).setParameter(2, epochHour).setParameter(3, event)
                .executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("INSERT INTO CMTP_TRAFFIC_HOUR (EPOCH_HOUR, EVENT, MESSAGES) VALUES (?, ?, ?)")
                    .setParameter(1, epochHour).setParameter(2, event).setParameter(3, messages)
                    .executeUpdate();
        }
    }

    /** Rows of hours from {@code firstEpochHour} on: {@code [epoch hour, event, messages]}. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<Object[]> since(long firstEpochHour) {
        return rows(em.createNativeQuery(
                        "SELECT EPOCH_HOUR, EVENT, MESSAGES FROM CMTP_TRAFFIC_HOUR WHERE EPOCH_HOUR >= ?")
                .setParameter(1, firstEpochHour).getResultList());
    }

    /** Per event, the sum over all hours: {@code [event, messages]}. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<Object[]> totals() {
        return rows(em.createNativeQuery("SELECT EVENT, SUM(MESSAGES) FROM CMTP_TRAFFIC_HOUR GROUP BY EVENT")
                .getResultList());
    }

    /** The first hour counted, or null before any message. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Long firstEpochHour() {
        Object first = em.createNativeQuery("SELECT MIN(EPOCH_HOUR) FROM CMTP_TRAFFIC_HOUR").getSingleResult();
        return first == null ? null : ((Number) first).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(List<?> result) {
        return (List<Object[]>) result;
    }
}
