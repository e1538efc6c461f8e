package dev.tokenauth.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

import dev.tokenauth.RecordedLogs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.token.MutableClock;

class AuditTrailTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private RecordedLogs logs;
    private final RecordingAuditStore store = new RecordingAuditStore();
    private final MutableClock clock = new MutableClock(NOW);
    private final AuditTrail audit = new AuditTrail(store, clock);

    @BeforeEach
    void listen() {
        logs = RecordedLogs.of(Logger.getLogger("dev.tokenauth.audit"));
    }

    @AfterEach
    void stopListening() {
        logs.close();
    }

    /** The audit log's lines so far. */
    private List<String> lines() {
        return logs.messages();
    }

    private static AuditEvent refused(String reason, String address) {
        return AuditEvent.of(NOW, AuditType.TOKEN_REFUSED, null, null, address, reason);
    }

    private static AuditEvent refusedAt(Instant at, String reason, String address) {
        return AuditEvent.of(at, AuditType.TOKEN_REFUSED, null, null, address, reason);
    }

    /** The stored entry's count, first and last times. */
    private static String counted(AuditEvent e) {
        return e.clientAddress() + " " + e.detail() + " x" + e.occurrences().count() + " " + e.at() + ".."
                + e.occurrences().last();
    }

    @Test
    void aFloodOfRefusalsWritesNoLogLineEachAndIsStoredAsOneCountedEntry() {
        for (int i = 0; i < 5000; i++) {
            audit.recordLater(refusedAt(NOW.plusMillis(i), "unknown", "198.51.100.7"));
        }
        assertEquals(List.of(), lines(), "nothing logged per request");

        clock.advance(Duration.ofSeconds(5));
        audit.flush();

        assertEquals(List.of("198.51.100.7 unknown x5000 2024-05-01T12:00:00Z..2024-05-01T12:00:04.999Z"),
                store.stored().stream().map(AuditTrailTest::counted).toList());
        assertEquals(List.of(), lines(), "the summary waits for the end of its period");
    }

    @Test
    void refusalsAreCountedPerAddressReasonTokenAndMinute() {
        Instant minute = NOW.plusSeconds(30);
        audit.recordLater(refusedAt(NOW, "unknown", "198.51.100.7"));
        audit.recordLater(refusedAt(NOW.plusSeconds(1), "unknown", "198.51.100.7"));
        audit.recordLater(refusedAt(NOW.plusSeconds(2), "malformed", "198.51.100.7"));
        audit.recordLater(refusedAt(NOW.plusSeconds(3), "unknown", "203.0.113.5"));
        audit.recordLater(refusedAt(minute, "revoked", "198.51.100.7").withToken(41L, "tka_abc123"));
        audit.recordLater(refusedAt(minute, "revoked", "198.51.100.7").withToken(42L, "tka_def456"));
        audit.recordLater(refusedAt(minute.plusSeconds(1), "revoked", "198.51.100.7").withToken(42L, "tka_def456"));
        audit.recordLater(refusedAt(NOW.plusSeconds(61), "unknown", "198.51.100.7"));

        clock.advance(Duration.ofSeconds(62));
        audit.flush();

        assertEquals(List.of(
                "198.51.100.7 unknown x2 2024-05-01T12:00:00Z..2024-05-01T12:00:01Z",
                "198.51.100.7 malformed x1 2024-05-01T12:00:02Z..2024-05-01T12:00:02Z",
                "203.0.113.5 unknown x1 2024-05-01T12:00:03Z..2024-05-01T12:00:03Z",
                "198.51.100.7 revoked x1 2024-05-01T12:00:30Z..2024-05-01T12:00:30Z",
                "198.51.100.7 revoked x2 2024-05-01T12:00:30Z..2024-05-01T12:00:31Z",
                "198.51.100.7 unknown x1 2024-05-01T12:01:01Z..2024-05-01T12:01:01Z"),
                store.stored().stream().map(AuditTrailTest::counted).toList(), "in the order first refused");
        assertEquals(List.of(41L, 42L), store.stored().subList(3, 5).stream().map(AuditEvent::tokenId).toList());
    }

    @Test
    void aLaterFlushAddsToTheEntryOfTheSameMinuteRatherThanStoringAnother() {
        audit.recordLater(refusedAt(NOW, "unknown", "198.51.100.7"));
        clock.advance(Duration.ofSeconds(5));
        audit.flush();
        audit.recordLater(refusedAt(NOW.plusSeconds(6), "unknown", "198.51.100.7"));
        audit.recordLater(refusedAt(NOW.plusSeconds(7), "unknown", "198.51.100.7"));
        clock.advance(Duration.ofSeconds(5));
        audit.flush();
        clock.advance(Duration.ofSeconds(5));
        audit.flush();

        assertEquals(List.of("198.51.100.7 unknown x3 2024-05-01T12:00:00Z..2024-05-01T12:00:07Z"),
                store.stored().stream().map(AuditTrailTest::counted).toList());
    }

    @Test
    void refusalsCountedWhileTheStoreCannotAnswerAreStoredByTheNextFlushThatCan() {
        FailingOnceAuditStore failing = new FailingOnceAuditStore();
        AuditTrail trail = new AuditTrail(failing, clock);
        trail.recordLater(refusedAt(NOW, "unknown", "198.51.100.7"));
        trail.recordLater(refusedAt(NOW.plusSeconds(1), "unknown", "198.51.100.7"));
        clock.advance(Duration.ofSeconds(75)); // the minute is over: its tally would be dropped once stored

        trail.flush();
        assertEquals(List.of(), failing.stored(), "the first flush failed");
        trail.flush();

        assertEquals(List.of("198.51.100.7 unknown x2 2024-05-01T12:00:00Z..2024-05-01T12:00:01Z"),
                failing.stored().stream().map(AuditTrailTest::counted).toList());
        trail.flush();
        assertEquals(1, failing.stored().size(), "stored once");
    }

    @Test
    void pastTheMostTalliesRefusalsAreCountedPerReasonWithoutAnAddress() {
        for (int i = 0; i < RefusalTallies.MAX_TALLIES + 500; i++) {
            audit.recordLater(refusedAt(NOW, "unknown", "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256)));
        }

        audit.flush(true);

        List<AuditEvent> stored = store.stored();
        assertEquals(RefusalTallies.MAX_TALLIES + 1, stored.size());
        AuditEvent rest = stored.get(stored.size() - 1);
        assertEquals(null, rest.clientAddress());
        assertEquals(500, rest.occurrences().count());
    }

    /** A store whose first append fails as a database that does not answer. */
    private static final class FailingOnceAuditStore implements AuditStore {
        private final RecordingAuditStore store = new RecordingAuditStore();
        private boolean failed;

        @Override
        public List<Long> append(List<AuditEvent> events, java.util.Map<Long, AuditEvent.Occurrences> more) {
            if (!failed) {
                failed = true;
                throw new dev.tokenauth.StoreUnavailableException("audit append", null);
            }
            return store.append(events, more);
        }

        @Override
        public List<AuditEvent> query(AuditQuery query) {
            return store.query(query);
        }

        List<AuditEvent> stored() {
            return store.stored();
        }
    }

    @Test
    void onceAPeriodOneLineCountsTheRefusalsByReasonAndNamesTheBusiestClients() {
        for (int i = 0; i < 30; i++) {
            audit.recordLater(refused("unknown", "198.51.100.7"));
        }
        for (int i = 0; i < 12; i++) {
            audit.recordLater(refused("malformed", "203.0.113.5"));
        }
        audit.recordLater(refused("revoked", "192.0.2.1"));

        clock.advance(AuditTrail.SUMMARY_PERIOD);
        audit.flush();
        clock.advance(Duration.ofSeconds(5));
        audit.flush();

        assertEquals(List.of("AUDIT TOKEN_REFUSED summary: 43 requests refused in the last 60 s (unknown 30, "
                + "malformed 12, revoked 1); busiest clients: 198.51.100.7 30, 203.0.113.5 12, 192.0.2.1 1"), lines());
    }

    @Test
    void aPeriodWithoutRefusalsWritesNothing() {
        clock.advance(AuditTrail.SUMMARY_PERIOD.multipliedBy(3));
        audit.flush();

        assertEquals(List.of(), lines());
    }

    @Test
    void manyAddressesAreCountedWithoutGrowingWithoutBoundAndOnlyTheBusiestAreNamed() {
        for (int i = 0; i < RefusalSummary.MAX_ADDRESSES + 500; i++) {
            audit.recordLater(refused("unknown", "10.0." + (i / 256) + "." + (i % 256)));
        }

        audit.flush(true);

        assertEquals(1, lines().size());
        String line = lines().get(0);
        assertTrue(line.startsWith("AUDIT TOKEN_REFUSED summary: 1500 requests refused"), line);
        assertTrue(line.endsWith(", 500 from further addresses"), line);
        assertEquals(RefusalSummary.BUSIEST_SHOWN, line.split("busiest clients: ")[1].split(", 500")[0].split(", ").length,
                line);
    }

    @Test
    void lockoutsBeyondTheQueueAreCountedAsNotStored() {
        audit.recordLater(refused("unknown", "198.51.100.7"));
        for (int i = 0; i < AuditTrail.QUEUE_CAPACITY + 7; i++) {
            audit.recordLater(AuditEvent.of(NOW, AuditType.TOKEN_THROTTLED, null, null, "198.51.100.7", "30 failed"));
        }

        audit.flush(true);

        assertEquals(AuditTrail.QUEUE_CAPACITY + 1, store.stored().size(), "the queued lockouts and the refusal");
        String summary = lines().get(lines().size() - 1);
        assertTrue(summary.endsWith("; 7 not stored (audit queue full)"), summary);
    }

    @Test
    void aChangeIsLoggedOnceAsItHappens() {
        audit.logged(AuditEvent.of(NOW, AuditType.TOKEN_CREATED, "alice", "alice", "192.0.2.1", null)
                .withToken(12L, "tka_3kTq9Z"));

        assertEquals(List.of("AUDIT TOKEN_CREATED user=alice token=12 (tka_3kTq9Z) from=192.0.2.1"), lines());
    }

    @Test
    void aLockoutIsALineOfItsOwnAndNotCountedAmongRefusedTokens() {
        audit.recordLater(refused("unknown", "198.51.100.7"));
        audit.recordLater(AuditEvent.of(NOW, AuditType.LOGIN_THROTTLED, null, null, "198.51.100.7",
                "account carol: 30 failed logins within 15 minutes"));

        audit.flush(true);

        assertEquals(List.of("AUDIT LOGIN_THROTTLED from=198.51.100.7 account carol: 30 failed logins within 15 minutes",
                "AUDIT TOKEN_REFUSED summary: 1 requests refused in the last 1 s (unknown 1); busiest clients: "
                        + "198.51.100.7 1"), lines());
        assertEquals(2, store.stored().size());
    }

    @Test
    void aNameWithALineBreakCannotStartALineOfItsOwn() {
        String forged = "zz\n02-Dec-2026 10:00:00.000 INFO [main] AUDIT USER_CREATED user=mallory acting=admin\r";
        audit.recordLater(AuditEvent.of(NOW, AuditType.LOGIN_THROTTLED, forged, forged, "192.0.2.1\n",
                "account " + forged + ": 30 failed logins"));
        audit.recordLater(refused("reason\u2028" + forged, "198.51.100.7"));
        audit.flush(true);

        assertEquals(2, lines().size());
        for (String line : lines()) {
            assertEquals(1, line.lines().count(), line);
            assertTrue(line.contains("zz\\n02-Dec-2026"), line);
        }
        assertTrue(lines().get(0).contains(" from=192.0.2.1\\n "), lines().get(0));
        assertTrue(lines().get(1).contains("reason\\u2028zz"), lines().get(1));
    }
}
