package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.token.MutableClock;
import jakarta.persistence.EntityManagerFactory;

/** The audit trail on the real store: counted refusals are one row each, grown in place. */
class JpaAuditStoreTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private String url;
    private EntityManagerFactory factory;
    private JpaAuditStore store;

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @BeforeEach
    void openAnEmptyDatabase() {
        url = "jdbc:derby:memory:audit-" + UUID.randomUUID();
        InMemoryDerby.migrate(url, ZoneId.of("UTC"));
        factory = InMemoryDerby.open(url, ZoneId.of("UTC"));
        store = new JpaAuditStore(InMemoryDerby.transactions(factory));
    }

    @AfterEach
    void dropTheDatabase() {
        factory.close();
        InMemoryDerby.drop(url);
    }

    private List<AuditEvent> all() {
        return store.query(new AuditQuery(null, 0, 100));
    }

    @Test
    void aCountedEntryIsStoredWithItsCountAndLastTimeAndGrowsInPlace() {
        AuditEvent refusals = AuditEvent.of(NOW, AuditType.TOKEN_REFUSED, "alice", null, "192.0.2.9", "revoked")
                .withToken(7L, "tka_abc123").withOccurrences(new AuditEvent.Occurrences(3, NOW.plusSeconds(2)));
        AuditEvent single = AuditEvent.of(NOW, AuditType.TOKEN_THROTTLED, null, null, "192.0.2.9", "30 failed");

        List<Long> ids = store.append(List.of(single, refusals), Map.of());
        store.append(List.of(), Map.of(ids.get(1), new AuditEvent.Occurrences(4, NOW.plusSeconds(9))));

        List<AuditEvent> stored = all();
        assertEquals(2, stored.size());
        AuditEvent counted = stored.get(0);
        assertEquals(ids.get(1), counted.id());
        assertEquals(new AuditEvent.Occurrences(7, NOW.plusSeconds(9)), counted.occurrences());
        assertEquals(List.of(NOW, "alice", 7L, "tka_abc123", "192.0.2.9", "revoked"), List.of(counted.at(),
                counted.user(), counted.tokenId(), counted.tokenPrefix(), counted.clientAddress(), counted.detail()));
        assertEquals(null, stored.get(1).occurrences(), "a single event is not counted");
    }

    @Test
    void aFloodOfRefusalsThroughTheTrailCostsOneRowPerAddressReasonAndMinute() {
        MutableClock clock = new MutableClock(NOW);
        AuditTrail trail = new AuditTrail(store, clock);
        for (int flush = 0; flush < 6; flush++) {
            for (int i = 0; i < 1000; i++) {
                trail.recordLater(AuditEvent.of(clock.instant(), AuditType.TOKEN_REFUSED, null, null, "192.0.2.9",
                        "unknown"));
            }
            clock.advance(Duration.ofSeconds(15));
            trail.flush();
        }

        List<AuditEvent> stored = all();
        assertEquals(List.of(2000L, 4000L), stored.stream().map(e -> e.occurrences().count()).toList(),
                "newest first: the entry of 12:01 (two rounds of refusals), then that of 12:00 (four, over four flushes)");
    }
}
