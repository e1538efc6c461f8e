package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.audit.RecordingAuditStore;

/** What introspection tells of a token, on the token rules alone. */
class IntrospectionTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");

    private final InMemoryTokenStore store = new InMemoryTokenStore(owner -> owner.equals("mallory"));
    private final RecordingAuditStore auditStore = new RecordingAuditStore();
    private final MutableClock clock = new MutableClock(NOW);
    private final AuditTrail audit = new AuditTrail(auditStore, clock);
    private final TokenService service = TokenServiceFixture.on(store).audit(audit).clock(clock).build();

    @Test
    void anActiveTokenIsToldWithItsOwnerScopesCreationAndEndAndCountsAsUsedFromTheAskingService() {
        IssuedToken token = service.issue(ALICE, Duration.ofHours(2), null, List.of("read"));
        clock.advance(Duration.ofMinutes(1));

        assertEquals(Optional.of(new TokenService.Introspection(token.info().id(), "alice", Set.of("read"), NOW,
                NOW.plus(Duration.ofHours(2)))), service.introspect(token.plaintext(), "10.0.0.5"));
        assertEquals(NOW.plus(Duration.ofMinutes(1)), service.list("alice").get(0).lastUsedAt());
        assertEquals("10.0.0.5", service.list("alice").get(0).usedFrom().get(0).address());
    }

    @Test
    void aTokenMadeWithoutScopesLacksIntrospectAndNeverExpiresWithoutEnd() {
        IssuedToken token = service.issue(ALICE, null, null);
        TokenService.Introspection seen = service.introspect(token.plaintext(), "10.0.0.5").orElseThrow();
        assertEquals(Set.of("read", "write"), seen.scopes());
        assertEquals(null, seen.expiresAt());
    }

    @Test
    void aTokenMadeByATokenWithIntrospectDoesNotInheritItUnlessItAsks() {
        IssuedToken gateway = service.issue(ALICE, null, null, List.of("introspect", "read", "write"));
        Actor viaGateway = Actor.self("alice", gateway.info().id(), "192.0.2.1");

        assertEquals(Set.of("read", "write"), service.issue(viaGateway, null, null).info().scopes());
        assertEquals(Set.of("introspect"), service.issue(viaGateway, null, null, List.of("introspect")).info()
                .scopes(), "asked for, as only an admin may (the servlets' rule), it is handed on");
    }

    @Test
    void everyInactiveTokenIsEmptyAndCountedAsARefusal() {
        IssuedToken revoked = service.issue(ALICE, null, null);
        service.revoke(ALICE, TokenService.refTo(revoked.plaintext()));
        IssuedToken expired = service.issue(ALICE, Duration.ofSeconds(30), null);
        IssuedToken ofDisabled = service.issue(Actor.self("mallory", null, "192.0.2.2"), null, null);
        clock.advance(Duration.ofMinutes(1));

        for (String presented : List.of(revoked.plaintext(), expired.plaintext(), ofDisabled.plaintext(),
                "tka_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg0SPQKH", "garbage")) {
            assertEquals(Optional.empty(), service.introspect(presented, "10.0.0.5"), presented);
        }
        audit.flush(true);
        List<String> refusals = auditStore.query(new AuditQuery(null, 0, 100)).stream()
                .filter(e -> e.type() == AuditType.TOKEN_REFUSED).map(AuditEvent::detail).sorted().toList();
        assertEquals(5, refusals.size(), "each refusal counted, as any token's: " + refusals);
    }
}
