package org.cmtp.server.testing;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import java.util.function.Function;

/**
 * Work on an entity manager of its own, in a transaction of its own: committed when the work
 * returns, rolled back when it throws. How the tests run the server's {@code REQUIRES_NEW}
 * beans outside a container, as the container would.
 */
public final class Committed {

    private Committed() {
    }

    public static <T> T on(EntityManagerFactory factory, Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
