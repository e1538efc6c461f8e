package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.persistence.exceptions.ConcurrencyException;
import org.eclipse.persistence.exceptions.DatabaseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.RecordedLogs;
import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.token.MutableClock;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.QueryTimeoutException;
import jakarta.persistence.RollbackException;

class TransactionsTest {

    private EntityManagerFactory factory;
    private EntityManager em;
    private EntityTransaction tx;
    private StoreAvailability availability;
    private Transactions transactions;
    private RecordedLogs logs;

    @BeforeEach
    void setUp() {
        factory = mock(EntityManagerFactory.class);
        em = mock(EntityManager.class);
        tx = mock(EntityTransaction.class);
        when(factory.isOpen()).thenReturn(true);
        when(factory.createEntityManager()).thenReturn(em);
        when(em.getTransaction()).thenReturn(tx);
        availability = new StoreAvailability(new MutableClock(Instant.parse("2026-11-01T12:00:00Z")));
        transactions = new Transactions(factory, availability, false);
        logs = RecordedLogs.of(Logger.getLogger(StoreAvailability.class.getName()));
    }

    @AfterEach
    void stopListening() {
        logs.close();
    }

    /** Runs work that throws {@code failure}, in an active transaction. */
    private <T extends Throwable> T failing(Class<T> expected, RuntimeException failure) {
        when(tx.isActive()).thenReturn(true);
        return assertThrows(expected, () -> transactions.run("token lookup", x -> {
            throw failure;
        }));
    }

    private void assertRolledBackAndClosed() {
        verify(tx).rollback();
        verify(em).close();
    }

    private void assertAnOutageBegan() {
        assertFalse(availability.available(), "an outage should have begun");
        assertEquals(1, logs.records().size(), () -> logs.records().stream().map(LogRecord::getMessage).toList()
                .toString());
    }

    private void assertNoOutage() {
        assertTrue(availability.available(), "no outage should have begun");
        assertEquals(List.of(), logs.records());
    }

    @Test
    void workThatSucceedsIsCommittedAndItsResultReturned() {
        assertEquals("done", transactions.run("op", e -> "done"));
        verify(tx).begin();
        verify(tx).commit();
        verify(tx, never()).rollback();
        verify(em).close();
    }

    @Test
    void workThatLostALockRaceIsRunOnceMoreInATransactionOfItsOwn() {
        when(tx.isActive()).thenReturn(true, false);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

        String result = transactions.run("token rotate", x -> {
            if (runs.incrementAndGet() == 1) {
                throw new jakarta.persistence.PersistenceException(new java.sql.SQLTransactionRollbackException(
                        "A lock could not be obtained within the time requested", "40XL1"));
            }
            return "rotated";
        });

        assertEquals("rotated", result);
        assertEquals(2, runs.get());
        verify(tx, org.mockito.Mockito.times(2)).begin();
        verify(tx).commit();
        assertNoOutage();
    }

    @Test
    void aSecondLostLockRaceIsTheDatabasesFailure() {
        when(tx.isActive()).thenReturn(true);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

        assertThrows(StoreUnavailableException.class, () -> transactions.run("token rotate", x -> {
            runs.incrementAndGet();
            throw new jakarta.persistence.PersistenceException(new java.sql.SQLTransactionRollbackException(
                    "deadlock detected", "40P01"));
        }));
        assertEquals(2, runs.get());
        assertAnOutageBegan();
    }

    @Test
    void aStatementWhoseCompletionIsUnknownIsNotRunAgain() {
        when(tx.isActive()).thenReturn(true);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

        assertThrows(StoreUnavailableException.class, () -> transactions.run("token rotate", x -> {
            runs.incrementAndGet();
            throw new jakarta.persistence.PersistenceException(new java.sql.SQLTransactionRollbackException(
                    "statement completion unknown", "40003"));
        }));
        assertEquals(1, runs.get(), "it may have done its work");
    }

    // --- the database's failures: 503, and an outage ------------------------------------------------------------

    @Test
    void aPersistenceExceptionBecomesStoreUnavailableAndIsRolledBack() {
        PersistenceException cause = new PersistenceException("connection refused");

        StoreUnavailableException e = failing(StoreUnavailableException.class, cause);

        assertSame(cause, e.getCause());
        assertEquals("Store unavailable during token lookup", e.getMessage());
        assertRolledBackAndClosed();
        assertAnOutageBegan();
    }

    @Test
    void eclipseLinksOwnExceptionOutsidePersistenceExceptionAlsoBecomesStoreUnavailable() {
        // What EclipseLink's find() lets through: its DatabaseException, here without an SQLException beneath it.
        DatabaseException cause = DatabaseException.databaseAccessorNotConnected();

        StoreUnavailableException e = failing(StoreUnavailableException.class, cause);

        assertSame(cause, e.getCause());
        assertRolledBackAndClosed();
        assertAnOutageBegan();
    }

    @Test
    void anInterruptedWaitForAPooledConnectionIsStoreUnavailable() {
        failing(StoreUnavailableException.class, ConcurrencyException.waitFailureOnClientSession(
                new InterruptedException()));

        assertAnOutageBegan();
    }

    @Test
    void timeoutsAreStoreUnavailable() {
        failing(StoreUnavailableException.class, new QueryTimeoutException("statement cancelled"));

        assertAnOutageBegan();
    }

    @Test
    void anSqlExceptionAmongTheCausesIsStoreUnavailableWhateverWrapsIt() {
        // As the migrations do: their JDBC calls' SQLException in an exception of their own.
        failing(StoreUnavailableException.class, new IllegalStateException(new SQLTimeoutException("timed out")));

        assertAnOutageBegan();
    }

    @Test
    void aFactoryThatCannotConnectIsStoreUnavailable() {
        when(factory.createEntityManager()).thenThrow(new PersistenceException("login failed",
                new SQLException("Connection refused", "08001")));

        assertThrows(StoreUnavailableException.class, () -> transactions.run("op", x -> "never"));
        assertAnOutageBegan();
    }

    @Test
    void aClosedFactoryIsStoreUnavailableThoughItSaysSoWithAnIllegalStateException() {
        when(factory.isOpen()).thenReturn(false);
        when(factory.createEntityManager()).thenThrow(new IllegalStateException("closed EntityManagerFactory"));

        assertThrows(StoreUnavailableException.class, () -> transactions.run("op", x -> "never"));
    }

    @Test
    void aFailingCommitIsStoreUnavailable() {
        doThrow(new RollbackException("disk full", new SQLException("disk full", "53100"))).when(tx).commit();

        assertThrows(StoreUnavailableException.class, () -> transactions.run("op", x -> "lost"));
        verify(em).close();
        assertAnOutageBegan();
    }

    @Test
    void aUniqueKeyViolationIsAKeyConflictAndNotAnOutage() {
        when(tx.isActive()).thenReturn(true);
        doThrow(new RollbackException("duplicate", new java.sql.SQLIntegrityConstraintViolationException(
                "duplicate key value violates unique constraint", "23505"))).when(tx).commit();

        assertThrows(KeyConflictException.class, () -> transactions.run("user insert", x -> "lost the race"));

        assertNoOutage();
    }

    @Test
    void anotherConstraintOrStateIsAnOrdinaryFailure() {
        doThrow(new RollbackException("null", new java.sql.SQLException("null value", "23502"))).when(tx).commit();

        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> transactions.run("op", x -> "lost"));

        assertFalse(e instanceof KeyConflictException);
        assertFalse(availability.available());
    }

    // --- the program's faults: themselves, never an outage ----------------------------------------------------

    @Test
    void aNullPointerExceptionInTheWorkPropagatesAsItselfRolledBackAndIsNoOutage() {
        NullPointerException bug = new NullPointerException("Cannot invoke \"String.length()\"");

        assertSame(bug, failing(NullPointerException.class, bug));

        assertRolledBackAndClosed();
        assertNoOutage();
    }

    @Test
    void aMappingBugsIllegalStateExceptionPropagatesAsItself() {
        IllegalStateException bug = new IllegalStateException("no converter for column EXPIRES_AT_MS");

        assertSame(bug, failing(IllegalStateException.class, bug));

        assertNoOutage();
    }

    @Test
    void aProvidersExceptionThatOnlyCarriesTheProgramsOwnIsTheProgramsFault() {
        // EclipseLink reports a converter's exception at commit in a RollbackException.
        RollbackException wrapped = new RollbackException("commit failed", new ClassCastException("Long to Instant"));
        doThrow(wrapped).when(tx).commit();

        assertSame(wrapped, assertThrows(RollbackException.class, () -> transactions.run("op", x -> "lost")));

        assertNoOutage();
    }

    @Test
    void aProgrammingErrorDuringAnOutageNeitherEndsItNorCountsInIt() {
        failing(StoreUnavailableException.class, new PersistenceException("connection refused"));

        failing(NullPointerException.class, new NullPointerException());

        assertFalse(availability.available(), "the database has not answered since");
        assertEquals(1, logs.records().size(), "said once, when the outage began");
    }

    @Test
    void theDatabaseUpGaugeFallsForTheDatabasesFailureNeverForTheProgramsFault() {
        try (Metrics metrics = Metrics.prometheus()) {
            metrics.bindDatabase(availability::available);

            failing(IllegalStateException.class, new IllegalStateException("mapping bug"));
            assertEquals(1.0, metrics.registry().get("tokenauth.database.up").gauge().value());

            failing(StoreUnavailableException.class, new PersistenceException("connection refused"));
            assertEquals(0.0, metrics.registry().get("tokenauth.database.up").gauge().value());
        }
    }
}
