package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenauth.token.TokenServiceFixture;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.IssuedToken;
import dev.tokenauth.token.MutableClock;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenService;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/** Times survive a change of the server's time zone, and those that earlier versions stored are moved intact. */
class EpochMillisecondTimesTest {

    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");

    private final TimeZone zoneBefore = TimeZone.getDefault();
    private final String url = "jdbc:derby:memory:times-" + UUID.randomUUID();
    private EntityManagerFactory factory;

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @AfterEach
    void restoreTheZoneAndDropTheDatabase() {
        TimeZone.setDefault(zoneBefore);
        if (factory != null && factory.isOpen()) {
            factory.close();
        }
        InMemoryDerby.drop(url);
    }

    /** Starts the persistence unit as the application does: the schema made or extended, old times moved. */
    private TokenService start(String zone) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        if (factory != null) {
            factory.close();
        }
        factory = InMemoryDerby.open(url);
        Transactions tx = InMemoryDerby.transactions(factory);
        return TokenServiceFixture.on(new JpaTokenStore(tx)).audit(new AuditTrail(new JpaAuditStore(tx)))
                .clock(new MutableClock(NOW)).build();
    }

    @Test
    void aTokensTimesAreTheSameAfterTheServerRestartsInAnotherZone() {
        TokenService inNewYork = start("America/New_York");
        IssuedToken issued = inNewYork.issue(ALICE, Duration.ofDays(1), null);
        TokenInfo before = inNewYork.list("alice").get(0);

        TokenService inUtc = start("UTC");
        TokenInfo after = inUtc.list("alice").get(0);

        assertEquals(NOW.plus(Duration.ofDays(1)), issued.info().expiresAt());
        assertEquals(before.createdAt(), after.createdAt());
        assertEquals(before.expiresAt(), after.expiresAt(), "expires_at moved with the zone before");
        assertEquals(NOW.plus(Duration.ofDays(1)), start("Asia/Kolkata").list("alice").get(0).expiresAt());
    }

    private boolean hasColumn(String table, String column) throws SQLException {
        try (Connection db = DriverManager.getConnection(url);
                ResultSet columns = db.getMetaData().getColumns(null, null, table, column)) {
            return columns.next();
        }
    }
}
