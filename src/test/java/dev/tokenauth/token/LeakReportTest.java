package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditType;

/** Leaked tokens reported by anyone (issue 25): each active one revoked, the rest changing nothing. */
class LeakReportTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final String REPORTER = "198.51.100.77";

    private InMemoryTokenStore store;
    private TokenService service;
    private MutableClock clock;

    @BeforeEach
    void setUp() {
        store = new InMemoryTokenStore();
        clock = new MutableClock(NOW);
        service = TokenServiceFixture.on(store).clock(clock).build();
    }

    private IssuedToken issue(String owner) {
        return service.issue(Actor.self(owner, null, "192.0.2.1"), null, null);
    }

    @Test
    void aMixedBatchRevokesExactlyTheActiveTokensOfAnyOwnerAndAuditsEachWithoutItsSecret() {
        IssuedToken alices = issue("alice");
        IssuedToken bobs = issue("bob");
        IssuedToken kept = issue("bob");
        IssuedToken revoked = issue("alice");
        service.revoke(Actor.self("alice", null, "192.0.2.1"), new TokenRef.ById(revoked.info().id()));
        String unknown = TokenFormat.generate(new SecureRandom());
        String badChecksum = alices.plaintext().substring(0, 52) + (alices.plaintext().endsWith("0") ? "1" : "0");
        List<String> batch = new ArrayList<>(List.of(alices.plaintext(), bobs.plaintext(), revoked.plaintext(),
                unknown, badChecksum, "not a token", "", alices.plaintext()));
        while (batch.size() < 1000) {
            batch.add("tka_" + batch.size());
        }
        int eventsBefore = store.events().size();
        int callsBefore = store.calls;
        clock.advance(java.time.Duration.ofMinutes(1));

        assertEquals(2, service.reportLeaked(batch, REPORTER));
        int callsOfTheReport = store.calls - callsBefore;

        assertTrue(service.authenticate(alices.plaintext(), "192.0.2.9").isEmpty());
        assertTrue(service.authenticate(bobs.plaintext(), "192.0.2.9").isEmpty());
        assertTrue(service.authenticate(kept.plaintext(), "192.0.2.9").isPresent(), "not reported: untouched");
        List<AuditEvent> events = store.events().subList(eventsBefore, store.events().size());
        assertEquals(List.of(alices.info().id(), bobs.info().id()), events.stream().map(AuditEvent::tokenId).toList());
        for (AuditEvent e : events) {
            assertEquals(AuditType.TOKEN_LEAK_REPORTED, e.type());
            assertEquals(REPORTER, e.clientAddress());
            assertNull(e.actingUser());
            assertEquals("revoked: reported as leaked", e.detail());
            assertFalse(e.describe().contains(alices.plaintext().substring(10)));
            assertFalse(e.describe().contains(bobs.plaintext().substring(10)));
        }
        assertEquals(List.of("alice", "bob"), events.stream().map(AuditEvent::user).toList());
        TokenInfo seen = service.listRevoked("alice", 20).get(0);
        assertEquals(alices.info().id(), seen.id());
        assertEquals(TokenService.REPORTED_AS_LEAKED, seen.revokeReason());
        assertNull(seen.revokedBy());
        // Lookups of the four well-formed distinct entries and the two revocations: malformed ones never reach the
        // store, a duplicate is looked up once.
        assertEquals(4 + 2, callsOfTheReport);
    }

    @Test
    void aSecondReportOfTheSameTokenChangesNothing() {
        IssuedToken token = issue("alice");
        service.reportLeaked(List.of(token.plaintext()), REPORTER);
        int events = store.events().size();

        assertEquals(0, service.reportLeaked(List.of(token.plaintext()), REPORTER));

        assertEquals(events, store.events().size());
    }
}
