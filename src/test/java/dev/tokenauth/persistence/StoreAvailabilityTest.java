package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.RecordedLogs;
import dev.tokenauth.token.MutableClock;

class StoreAvailabilityTest {

    private RecordedLogs logs;
    private List<LogRecord> records;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T12:00:00Z"));
    private final StoreAvailability availability = new StoreAvailability(clock);

    @BeforeEach
    void listen() {
        logs = RecordedLogs.of(Logger.getLogger(StoreAvailability.class.getName()));
        records = logs.records();
    }

    @AfterEach
    void stopListening() {
        logs.close();
    }

    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEndsWithItsCountsNeverPerFailure() {
        RuntimeException cause = new RuntimeException("wrapped",
                new SQLException("Connection to 127.0.0.1:5432 refused.\nCheck that the hostname ..."));
        for (int i = 0; i < 500; i++) {
            availability.failed("token lookup", cause);
        }
        assertFalse(availability.available());
        clock.advance(Duration.ofSeconds(42));
        availability.answered();
        availability.answered();

        assertTrue(availability.available());
        assertEquals(2, records.size(), records.stream().map(LogRecord::getMessage).toList().toString());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertEquals("Database unavailable (first failure: token lookup: SQLException: Connection to 127.0.0.1:5432"
                + " refused.); requests that need it are refused with 503 until it answers again",
                records.get(0).getMessage());
        assertEquals(null, records.get(0).getThrown(), "no stack trace");
        assertEquals("Database available again after 42 s; 500 operations failed meanwhile",
                records.get(1).getMessage());
    }

    @Test
    void whileTheDatabaseAnswersNothingIsLogged() {
        for (int i = 0; i < 100; i++) {
            availability.answered();
        }

        assertEquals(List.of(), records);
    }
}
