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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.StoreUnavailableException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.RollbackException;

class TransactionsTest {

    private EntityManagerFactory factory;
    private EntityManager em;
    private EntityTransaction tx;
    private Transactions transactions;

    /** Stands for a provider's own exception type, such as EclipseLink's DatabaseException from find(). */
    private static final class ProviderException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @BeforeEach
    void setUp() {
        factory = mock(EntityManagerFactory.class);
        em = mock(EntityManager.class);
        tx = mock(EntityTransaction.class);
        when(factory.createEntityManager()).thenReturn(em);
        when(em.getTransaction()).thenReturn(tx);
        transactions = new Transactions(factory);
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
    void aPersistenceExceptionBecomesStoreUnavailableAndIsRolledBack() {
        when(tx.isActive()).thenReturn(true);
        PersistenceException cause = new PersistenceException("connection refused");
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> transactions.run("token lookup", x -> {
                    throw cause;
                }));
        assertSame(cause, e.getCause());
        assertEquals("Store unavailable during token lookup", e.getMessage());
        verify(tx).rollback();
        verify(em).close();
    }

    @Test
    void aProviderExceptionOutsidePersistenceExceptionAlsoBecomesStoreUnavailable() {
        when(tx.isActive()).thenReturn(true);
        ProviderException cause = new ProviderException();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> transactions.run("user lookup", x -> {
                    throw cause;
                }));
        assertSame(cause, e.getCause());
        verify(tx).rollback();
        verify(em).close();
    }

    @Test
    void aFactoryThatCannotConnectIsStoreUnavailable() {
        when(factory.createEntityManager()).thenThrow(new ProviderException());
        assertThrows(StoreUnavailableException.class, () -> transactions.run("op", x -> "never"));
    }

    @Test
    void aFailingCommitIsStoreUnavailable() {
        doThrow(new RollbackException("disk full")).when(tx).commit();
        assertThrows(StoreUnavailableException.class, () -> transactions.run("op", x -> "lost"));
        verify(em).close();
    }

    @Test
    void aUniqueKeyViolationIsAKeyConflictAndNotAnOutage() {
        when(tx.isActive()).thenReturn(true);
        doThrow(new RollbackException("duplicate", new java.sql.SQLIntegrityConstraintViolationException(
                "duplicate key value violates unique constraint", "23505"))).when(tx).commit();

        assertThrows(KeyConflictException.class, () -> transactions.run("user insert", x -> "lost the race"));

        assertTrue(StoreAvailability.of(factory).available(), "the database answered: no outage begins");
    }

    @Test
    void anotherConstraintOrStateIsAnOrdinaryFailure() {
        doThrow(new RollbackException("null", new java.sql.SQLException("null value", "23502"))).when(tx).commit();

        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> transactions.run("op", x -> "lost"));

        assertFalse(e instanceof KeyConflictException);
        assertFalse(StoreAvailability.of(factory).available());
    }
}
