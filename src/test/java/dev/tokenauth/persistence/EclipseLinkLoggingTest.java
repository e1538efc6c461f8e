package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenauth.RecordedLogs;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;

/**
 * EclipseLink logs through java.util.logging under its own logger names (org.eclipse.persistence...), which an
 * operator can raise or silence per name in the server's logging configuration; never as {@code null.null}.
 */
class EclipseLinkLoggingTest {

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @Test
    void aFailedQueryIsLoggedUnderAnEclipseLinkLoggerName() {
        RecordedLogs logs = RecordedLogs.of(Logger.getLogger(""));
        List<LogRecord> records = logs.records();
        String url = "jdbc:derby:memory:logging-" + UUID.randomUUID();
        // WARNING for this test only: the unit's SEVERE keeps failed queries out of the log, which is the point of it.
        InMemoryDerby.migrate(url, ZoneId.systemDefault());
        EntityManagerFactory factory = Persistence.createEntityManagerFactory(Database.PERSISTENCE_UNIT, Map.of(
                "jakarta.persistence.jdbc.url", url + ";create=true",
                "jakarta.persistence.jdbc.driver", "org.apache.derby.iapi.jdbc.AutoloadedDriver",
                "eclipselink.session-name", "logging-" + UUID.randomUUID(),
                "eclipselink.logging.level", "WARNING"));
        try {
            EntityManager em = factory.createEntityManager();
            em.getTransaction().begin();
            assertThrows(PersistenceException.class,
                    () -> em.createNativeQuery("SELECT * FROM NO_SUCH_TABLE").getResultList());
            em.getTransaction().rollback();
            em.close();
        } finally {
            factory.close();
            logs.close();
        }
        List<LogRecord> eclipseLink = records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(r -> r.getMessage() != null && r.getMessage().contains("NO_SUCH_TABLE")
                        || r.getThrown() != null && String.valueOf(r.getThrown().getMessage()).contains("NO_SUCH_TABLE"))
                .toList();
        assertFalse(eclipseLink.isEmpty(), "the failure was logged: " + records.size() + " records");
        for (LogRecord r : eclipseLink) {
            assertTrue(r.getLoggerName() != null && r.getLoggerName().startsWith("org.eclipse.persistence"),
                    "logger name: " + r.getLoggerName());
            // What Tomcat's log format prints as the line's origin (EclipseLink's own JavaLog gave null.null).
            assertEquals("org.eclipse.persistence", r.getSourceClassName());
            assertTrue(r.getSourceMethodName() != null && !r.getSourceMethodName().isEmpty());
        }
    }
}
