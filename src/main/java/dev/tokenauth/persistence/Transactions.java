package dev.tokenauth.persistence;

import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.eclipse.persistence.exceptions.EclipseLinkException;

import dev.tokenauth.StoreUnavailableException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;

/**
 * Runs one unit of work in its own entity manager and transaction. A failure of the database becomes
 * {@link StoreUnavailableException}, so that callers fail closed without knowing JPA, and its
 * {@link StoreAvailability} hears of it. Any other exception is the program's fault (a mapping bug, a null where
 * none may be): it is rolled back and propagates as it is, and says nothing about the database.
 */
final class Transactions {

    private final EntityManagerFactory factory;
    private final StoreAvailability availability;
    private final boolean embeddedDerby;

    /**
     * @param availability what this database's operations found, shared by every unit of work on it
     * @param embeddedDerby whether the factory's connections are embedded Derby's, whose per-thread state each unit
     *        of work lets go of ({@link EmbeddedDerbyThreads})
     */
    Transactions(EntityManagerFactory factory, StoreAvailability availability, boolean embeddedDerby) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.availability = Objects.requireNonNull(availability, "availability");
        this.embeddedDerby = embeddedDerby;
    }

    <T> T run(String operation, Function<EntityManager, T> work) {
        try {
            return runOnce(operation, work, true);
        } catch (LostLockRace e) {
            // Once more, in a transaction of its own: the other transaction (the expiry task's note of the same
            // token, another request's change of it) has ended by now. A second loss is the database's failure.
            return runOnce(operation, work, false);
        }
    }

    /**
     * A wait for the database that ran out before any statement (a creation's wait for the owner's earlier ones): the
     * database did not answer in time, as its availability hears; the exception to throw.
     */
    StoreUnavailableException timedOut(String operation, TimeoutException cause) {
        availability.failed(operation, cause);
        return new StoreUnavailableException(operation, cause);
    }

    /** The unit of work lost a race for a lock (a deadlock, or a lock not granted): it is tried once more. */
    private static final class LostLockRace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostLockRace(Throwable cause) {
            super(cause);
        }
    }

    private <T> T runOnce(String operation, Function<EntityManager, T> work, boolean mayRetry) {
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
            if (mayRetry && lostLockRace(e)) {
                throw new LostLockRace(e);
            }
            if (KeyConflictException.causedBy(e)) {
                // The database answered: with a no, to the loser of a race for the same key.
                availability.answered();
                throw new KeyConflictException(operation, e);
            }
            // A closed factory (the application stopping) cannot answer either, though it says so with an
            // IllegalStateException.
            if (!isDatabaseFailure(e) && factory.isOpen()) {
                throw e;
            }
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

    /**
     * The states of a transaction that lost a race for a lock, whose retry succeeds: a deadlock (SQL's 40001, and
     * PostgreSQL's 40P01) and Derby's lock not granted (40XL1, 40XL2). Not the rest of class 40: PostgreSQL's 40003
     * (the statement's completion unknown) may have done its work.
     */
    private static final java.util.Set<String> LOST_LOCK_RACE = java.util.Set.of("40001", "40P01", "40XL1", "40XL2");

    static boolean lostLockRace(Throwable e) {
        return SqlStates.anyIn(e, LOST_LOCK_RACE);
    }

    /**
     * Whether {@code e} is the database's failure rather than the program's: an SQL exception or a timeout among its
     * causes, or an exception that the persistence provider raised of its own (Jakarta Persistence's, EclipseLink's,
     * which report connections, locks and timeouts as well as SQL errors) with nothing beneath it but such failures.
     * A provider's exception that only carries the program's own (a converter's NullPointerException at commit, in a
     * RollbackException) is the program's.
     */
    static boolean isDatabaseFailure(Throwable e) {
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof TimeoutException) {
                return true;
            }
            innermost = t;
        }
        if (innermost instanceof PersistenceException || innermost instanceof EclipseLinkException) {
            return true;
        }
        // A checked exception at the bottom (a socket's IOException, an interrupted wait for a pooled connection)
        // can only have come from the provider or the driver: the program's own work throws none.
        return !(innermost instanceof RuntimeException || innermost instanceof Error);
    }
}
