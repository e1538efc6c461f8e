package dev.tokenauth.persistence;

import java.util.Objects;
import java.util.function.Function;

import dev.tokenauth.StoreUnavailableException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

/**
 * Runs one unit of work in its own entity manager and transaction, and turns every failure of the database
 * into {@link StoreUnavailableException}, so that callers fail closed without knowing JPA.
 */
final class Transactions {

    private final EntityManagerFactory factory;
    private final StoreAvailability availability;
    private final boolean embeddedDerby;

    Transactions(EntityManagerFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.availability = StoreAvailability.of(factory);
        this.embeddedDerby = EmbeddedDerbyThreads.embedded(factory);
    }

    <T> T run(String operation, Function<EntityManager, T> work) {
        EntityManager em = null;
        EntityTransaction tx = null;
        try {
            em = factory.createEntityManager();
            tx = em.getTransaction();
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            availability.answered();
            return result;
        } catch (StoreUnavailableException e) {
            availability.failed(operation, e);
            throw e;
        } catch (RuntimeException e) {
            if (KeyConflictException.causedBy(e)) {
                // The database answered: with a no, to the loser of a race for the same key.
                availability.answered();
                throw new KeyConflictException(operation, e);
            }
            // Not only PersistenceException: EclipseLink's find() lets its own DatabaseException through, and
            // the work holds nothing but store calls, so any failure here is the store's.
            availability.failed(operation, e);
            throw new StoreUnavailableException(operation, e);
        } finally {
            if (tx != null && tx.isActive()) {
                try {
                    tx.rollback();
                } catch (RuntimeException ignored) {
                    // The database is already failing; the original exception is the one worth reporting.
                }
            }
            if (em != null) {
                em.close();
            }
            if (embeddedDerby) {
                EmbeddedDerbyThreads.release();
            }
        }
    }
}
