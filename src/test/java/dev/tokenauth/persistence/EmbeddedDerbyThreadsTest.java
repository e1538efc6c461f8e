package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.derby.iapi.services.context.ContextManager;
import org.apache.derby.iapi.services.context.ContextService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/**
 * What embedded Derby leaves on a thread that did the application's database work: nothing, once the unit of work
 * is done ({@link EmbeddedDerbyThreads}), though EclipseLink's pool keeps the connection open. Tomcat checks every one of its threads for such references when the application
 * stops, and reports each as a SEVERE leak (issue 13).
 */
class EmbeddedDerbyThreadsTest {

    private final String url = "jdbc:derby:memory:threads-" + UUID.randomUUID();
    private EntityManagerFactory factory;

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @AfterEach
    void dropTheDatabase() {
        if (factory != null && factory.isOpen()) {
            factory.close();
        }
        InMemoryDerby.drop(url);
    }

    @Test
    void aUnitOfWorkLeavesNoDerbyContextOnItsThreadThoughThePoolKeepsItsConnection() throws Exception {
        factory = pooledFactory();

        Object left = onANewThread(() -> {
            new JpaUserStore(InMemoryDerby.transactions(factory), Clock.systemUTC()).count();
            return derbyContextOfThisThread();
        });

        assertNull(left, "the request thread should keep nothing of Derby once its unit of work is done");
        assertEquals(0L, new JpaUserStore(InMemoryDerby.transactions(factory), Clock.systemUTC()).count(),
                "the pool should still serve");
    }

    /** The cause, kept in view: an open connection's context stays on the thread that last called it. */
    @Test
    void anOpenConnectionLeavesItsDerbyContextOnTheThreadThatCalledIt() throws Exception {
        try (Connection open = DriverManager.getConnection(url + ";create=true")) {
            Object left = onANewThread(() -> {
                try (Statement statement = open.createStatement()) {
                    statement.executeQuery("VALUES 1").close();
                }
                return derbyContextOfThisThread();
            });

            assertInstanceOf(ContextManager.class, left, "Derby clears it only when the connection is closed");
        }
    }

    @Test
    void embeddedDerbyIsADerbyUrlOtherThanTheNetworkClients() {
        assertTrue(Database.embeddedDerby("jdbc:derby:memory:x;create=true"));
        assertTrue(Database.embeddedDerby("jdbc:derby:/var/lib/tokenauth/derby;create=true"));
        assertFalse(Database.embeddedDerby("jdbc:derby://localhost:1527/tokenauth"));
        assertFalse(Database.embeddedDerby("jdbc:postgresql://localhost/tokenauth"));
    }

    private EntityManagerFactory pooledFactory() {
        InMemoryDerby.migrate(url, ZoneId.systemDefault());
        return Persistence.createEntityManagerFactory(Database.PERSISTENCE_UNIT, Map.of(
                "jakarta.persistence.jdbc.url", url + ";create=true",
                "jakarta.persistence.jdbc.driver", "org.apache.derby.iapi.jdbc.AutoloadedDriver"));
    }

    private static <T> T onANewThread(Callable<T> work) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, thread).get();
        } finally {
            thread.shutdown();
        }
    }

    /** The value of Derby's per-thread context list ({@code ContextService.threadContextList}) on this thread. */
    private static Object derbyContextOfThisThread() throws ReflectiveOperationException {
        Field list = ContextService.class.getDeclaredField("threadContextList");
        list.setAccessible(true);
        return ((ThreadLocal<?>) list.get(ContextService.getFactory())).get();
    }
}
