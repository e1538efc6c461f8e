package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.IssuedToken;
import dev.tokenauth.token.MutableClock;
import dev.tokenauth.token.TokenPolicy;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenServiceFixture;
import dev.tokenauth.webhook.Outbox;
import dev.tokenauth.webhook.WebhookEventType;
import dev.tokenauth.webhook.WebhookSubscription;
import jakarta.persistence.EntityManagerFactory;

/**
 * The webhook's outbox on the real store: rows written in the change's transaction, for the subscribed types only;
 * claims that a second sender respects until they run out; outcomes stored only by the claim's holder.
 */
class JpaOutboxTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");

    private String url;
    private EntityManagerFactory factory;
    private Transactions tx;
    private MutableClock clock;
    private JpaOutbox outbox;

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @BeforeEach
    void openAnEmptyDatabase() {
        url = "jdbc:derby:memory:outbox-" + UUID.randomUUID();
        InMemoryDerby.migrate(url, ZoneId.of("UTC"));
        factory = InMemoryDerby.open(url, ZoneId.of("UTC"));
        tx = InMemoryDerby.transactions(factory);
        clock = new MutableClock(NOW);
        outbox = new JpaOutbox(tx);
    }

    @AfterEach
    void dropTheDatabase() {
        factory.close();
        InMemoryDerby.drop(url);
    }

    private TokenService service(String events) {
        return TokenServiceFixture.on(new JpaTokenStore(tx, new AuditRecords(WebhookSubscription.of(events))))
                .policy(new TokenPolicy(null, null, Duration.ofDays(1), Duration.ofDays(7), 10, Duration.ofDays(30)))
                .clock(clock).build();
    }

    private List<WebhookEventEntity> rows() {
        return tx.run("rows", em -> em.createQuery("SELECT e FROM WebhookEventEntity e ORDER BY e.id",
                WebhookEventEntity.class).getResultList());
    }

    @Test
    void aSubscribedChangeWritesItsEventInItsOwnTransactionAndAnUnsubscribedOneWritesNone() {
        TokenService tokens = service("token.revoked");
        IssuedToken token = tokens.issue(ALICE, null, null);
        assertEquals(List.of(), rows(), "token.created is not subscribed");

        tokens.revoke(ALICE, TokenService.refTo(token.plaintext()));

        List<Outbox.Event> due = outbox.claimDue("a", NOW, NOW.plusSeconds(30), 10);
        assertEquals(1, due.size());
        Outbox.Event event = due.get(0);
        assertEquals(WebhookEventType.TOKEN_REVOKED, event.type());
        assertEquals(NOW, event.storedAt());
        assertEquals(0, event.attempts());
        assertEquals("{\"id\":\"" + event.eventId() + "\",\"type\":\"token.revoked\",\"time\":\"" + NOW
                + "\",\"user\":\"alice\",\"acting_user\":\"alice\",\"token\":{\"id\":" + token.info().id()
                + ",\"prefix\":\"" + token.info().displayPrefix() + "\"},\"address\":\"192.0.2.1\",\"detail\":null}",
                event.payload());
        assertTrue(!event.payload().contains(token.plaintext().substring(token.info().displayPrefix().length())),
                "no part of the secret beyond the display prefix");
    }

    @Test
    void aFailedChangeLeavesNoEvent() {
        JpaTokenStore store = new JpaTokenStore(tx, new AuditRecords(WebhookSubscription.of("all")));
        // A revocation of a token that is not there changes nothing, and tells of nothing.
        assertTrue(store.revoke("alice", new dev.tokenauth.token.TokenRef.ById(42),
                new dev.tokenauth.token.Revocation(NOW, null, null),
                AuditEvent.of(NOW, AuditType.TOKEN_REVOKED, "alice", "alice", null, null)).isEmpty());
        assertEquals(List.of(), rows());
    }

    @Test
    void aLockoutStoredByTheAuditTrailGetsItsEventInTheSameTransaction() {
        JpaAuditStore audit = new JpaAuditStore(tx, new AuditRecords(WebhookSubscription.of("default")));
        audit.append(List.of(AuditEvent.of(NOW, AuditType.TOKEN_THROTTLED, null, null, "192.0.2.9", "30 failed"),
                AuditEvent.of(NOW, AuditType.BACKUP_MADE, null, null, null, "backup-1")), Map.of());

        List<WebhookEventEntity> rows = rows();
        assertEquals(1, rows.size());
        assertEquals(WebhookEventType.THROTTLE_LOCKOUT, rows.get(0).toEvent().type());
        assertTrue(rows.get(0).toEvent().payload().contains("\"address\":\"192.0.2.9\""));
    }

    @Test
    void aClaimedEventIsNotTakenBySecondSenderUntilTheClaimRunsOut() {
        service("all").issue(ALICE, null, null);

        List<Outbox.Event> first = outbox.claimDue("a", NOW, NOW.plusSeconds(15), 10);
        assertEquals(1, first.size());
        assertEquals(List.of(), outbox.claimDue("b", NOW.plusSeconds(14), NOW.plusSeconds(29), 10));

        List<Outbox.Event> second = outbox.claimDue("b", NOW.plusSeconds(16), NOW.plusSeconds(31), 10);
        assertEquals(List.of(first.get(0).id()), second.stream().map(Outbox.Event::id).toList(),
                "sender a died: its claim ran out and b takes the event, with the same event id");
        assertEquals(first.get(0).eventId(), second.get(0).eventId());

        outbox.delivered(first.get(0), "a", NOW.plusSeconds(17));
        assertEquals(WebhookEventEntity.State.PENDING, rows().get(0).state(), "a's outcome is no longer a's to store");
        outbox.delivered(second.get(0), "b", NOW.plusSeconds(18));
        assertEquals(WebhookEventEntity.State.DELIVERED, rows().get(0).state());
        assertEquals(1, rows().get(0).attempts());
        assertEquals(0, outbox.pending());
    }

    @Test
    void aSecondSenderSkipsTheClaimedEventAndTakesTheNextOne() {
        TokenService tokens = service("all");
        tokens.issue(ALICE, null, null);
        tokens.issue(ALICE, null, null);

        Outbox.Event first = outbox.claimDue("a", NOW, NOW.plusSeconds(15), 1).get(0);
        List<Outbox.Event> next = outbox.claimDue("b", NOW, NOW.plusSeconds(15), 1);

        assertEquals(1, next.size());
        assertNotEquals(first.id(), next.get(0).id());
        assertEquals(List.of(), outbox.claimDue("c", NOW, NOW.plusSeconds(15), 1), "both are taken");
    }

    @Test
    void aRetryWaitsUntilItsTimeAndCountsTheAttempt() {
        service("all").issue(ALICE, null, null);
        Outbox.Event event = outbox.claimDue("a", NOW, NOW.plusSeconds(15), 10).get(0);

        outbox.retryAt(event, "a", NOW.plusSeconds(10), "HTTP 500");

        assertEquals(List.of(), outbox.claimDue("a", NOW.plusSeconds(9), NOW.plusSeconds(24), 10));
        Outbox.Event again = outbox.claimDue("b", NOW.plusSeconds(10), NOW.plusSeconds(25), 10).get(0);
        assertEquals(1, again.attempts());
        assertEquals("HTTP 500", rows().get(0).lastError());
        assertEquals(1, outbox.pending());
    }

    @Test
    void aGiveUpEndsTheEventWithItsAuditEventAndThePurgeTakesEndedEventsOnly() {
        TokenService tokens = service("all");
        tokens.issue(ALICE, null, null);
        tokens.issue(ALICE, null, null);
        Outbox.Event first = outbox.claimDue("a", NOW, NOW.plusSeconds(15), 1).get(0);
        AuditEvent gaveUp = AuditEvent.of(NOW.plusSeconds(1), AuditType.WEBHOOK_GAVE_UP, null, null, null,
                "event " + first.eventId());

        outbox.gaveUp(first, "a", NOW.plusSeconds(1), "HTTP 503", gaveUp);

        assertEquals(WebhookEventEntity.State.UNDELIVERABLE, rows().get(0).state());
        assertEquals(AuditType.WEBHOOK_GAVE_UP, new JpaAuditStore(tx).query(new AuditQuery(null, 0, 10)).get(0).type());
        assertEquals(1, outbox.pending());
        assertEquals(0, outbox.purgeEndedBefore(NOW.plusSeconds(1)), "ended at the cutoff: kept");
        assertEquals(1, outbox.purgeEndedBefore(NOW.plusSeconds(2)));
        assertEquals(1, rows().size(), "the pending event is never purged");
        assertNotEquals(first.id(), rows().get(0).getId());
    }

    @Test
    void aComingExpiryIsToldOnceForActiveTokensOnly() {
        TokenService tokens = service("token.expiring");
        IssuedToken soon = tokens.issue(ALICE, Duration.ofDays(3), null);
        tokens.issue(ALICE, Duration.ofDays(30), null);
        IssuedToken revoked = tokens.issue(ALICE, Duration.ofDays(2), null);
        tokens.revoke(ALICE, TokenService.refTo(revoked.plaintext()));

        tokens.warnOfExpiry();
        tokens.warnOfExpiry();

        List<WebhookEventEntity> rows = rows();
        assertEquals(1, rows.size());
        String payload = rows.get(0).toEvent().payload();
        assertTrue(payload.contains("\"type\":\"token.expiring\""), payload);
        assertTrue(payload.contains("\"id\":" + soon.info().id() + ","), payload);
        assertTrue(payload.endsWith(",\"expires_at\":\"" + NOW.plus(Duration.ofDays(3)) + "\"}"), payload);
    }

    @Test
    void anEventIdIsUniqueInTheTable() {
        service("all").issue(ALICE, null, null);
        String id = rows().get(0).toEvent().eventId();
        assertThrows(KeyConflictException.class, () -> tx.run("duplicate", em -> {
            em.persist(new WebhookEventEntity(WebhookEventType.TOKEN_CREATED, id, "{}", NOW));
            em.flush();
            return null;
        }));
    }
}
