package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.audit.RecordingAuditStore;

/**
 * Tokens that look after themselves (issue 24): rotation that renews, reuse detection, a lowered maximum lifetime,
 * the addresses a token is used from, and revocations by an admin.
 */
class TokenLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");
    private static final Actor BOB = Actor.self("bob", null, "192.0.2.2");
    private static final String THIEF = "203.0.113.66";

    private InMemoryTokenStore store;
    private MutableClock clock;
    private TokenService service;

    @BeforeEach
    void setUp() {
        store = new InMemoryTokenStore();
        clock = new MutableClock(NOW);
        service = serviceWith(TokenPolicy.defaults());
    }

    private TokenService serviceWith(TokenPolicy policy) {
        return TokenServiceFixture.on(store).policy(policy).audit(new AuditTrail(new RecordingAuditStore()))
                .clock(clock).build();
    }

    private static TokenPolicy policy(Duration maxLifetime, int addresses) {
        return new TokenPolicy(null, maxLifetime, DAY, Duration.ofDays(7), 10, Duration.ofDays(30),
                Scopes.defaults(), addresses);
    }

    private static Actor aliceVia(IssuedToken token) {
        return Actor.self("alice", token.info().id(), "192.0.2.1");
    }

    private boolean works(IssuedToken token) {
        return service.authenticate(token.plaintext(), "192.0.2.9").isPresent();
    }

    private List<AuditEvent> events(AuditType type) {
        return store.events().stream().filter(e -> e.type() == type).toList();
    }

    // --- rotation renews ---------------------------------------------------------------------------------

    @Test
    void aDailyRotationOfOneDayTokensGoesOnForAWeekAndNeverBreaks() {
        IssuedToken current = service.issue(ALICE, DAY, "ci");
        for (int day = 1; day <= 7; day++) {
            // A daily job runs a few minutes early or late; with one-day tokens it must find its token working.
            clock.advance(DAY.minusMinutes(day % 2 == 0 ? 10 : 0).plusMinutes(day % 2 == 0 ? 0 : -3));
            assertTrue(works(current), "day " + day + ": the token rotated yesterday still works");
            IssuedToken next = service.rotate(aliceVia(current), new TokenRef.ById(current.info().id()),
                    Duration.ofHours(1), null, null).successor();
            assertEquals(clock.instant().plus(DAY), next.info().expiresAt(), "day " + day + ": a fresh day");
            assertTrue(works(next), "day " + day);
            assertTrue(works(current), "day " + day + ": the old one in its hour of grace");
            current = next;
        }
        assertTrue(current.info().expiresAt().isAfter(NOW.plus(Duration.ofDays(7))));
        clock.advance(Duration.ofHours(2));
        assertEquals(1, service.list("alice").size(), "every rotated token ended after its grace");
    }

    @Test
    void aTokenMadeByCreationWithATokenStaysBoundByItButARotationDoesNot() {
        IssuedToken parent = service.issue(ALICE, DAY, null);
        clock.advance(Duration.ofHours(12));

        IssuedToken child = service.issue(aliceVia(parent), null, null);
        IssuedToken successor = service.rotate(aliceVia(parent), new TokenRef.ById(parent.info().id()),
                Duration.ZERO, null, null).successor();

        assertEquals(parent.info().expiresAt(), child.info().expiresAt(), "creation: bound by its parent");
        assertEquals(clock.instant().plus(DAY), successor.info().expiresAt(), "rotation: the parent's lifetime anew");
    }

    @Test
    void aRotationTakesExpiresInWhenGivenAndNeverPassesTheMaximumLifetime() {
        service = serviceWith(policy(Duration.ofDays(30), 5));
        IssuedToken old = service.issue(ALICE, DAY, null);

        IssuedToken longer = service.rotate(aliceVia(old), new TokenRef.ById(old.info().id()), null,
                Duration.ofDays(30), null).successor();
        TokenRuleViolation tooLong = assertThrows(TokenRuleViolation.class, () -> service.rotate(aliceVia(longer),
                new TokenRef.ById(longer.info().id()), null, Duration.ofDays(31), null));

        assertEquals(NOW.plus(Duration.ofDays(30)), longer.info().expiresAt());
        assertEquals(ViolationKind.INVALID, tooLong.kind());
        assertEquals("expires_in exceeds the maximum lifetime of 2592000 seconds.", tooLong.getMessage());
    }

    @Test
    void aTokenThatNeverExpiresRotatesIntoOneThatNeverExpiresOrLivesTheMaximumWhenThereIsOne() {
        IssuedToken forever = service.issue(ALICE, null, null);
        IssuedToken stillForever = service.rotate(ALICE, new TokenRef.ById(forever.info().id()), null, null, null)
                .successor();
        service = serviceWith(policy(Duration.ofDays(90), 5));
        IssuedToken capped = service.rotate(ALICE, new TokenRef.ById(stillForever.info().id()), null, null, null)
                .successor();

        assertNull(stillForever.info().expiresAt());
        assertEquals(NOW.plus(Duration.ofDays(90)), capped.info().expiresAt());
    }

    // --- reuse detection ---------------------------------------------------------------------------------

    @Test
    void aReplacedTokenPresentedToRotateAfterItsGraceRevokesItsWholeFamilyAndIsAnInvalidToken() {
        IssuedToken first = service.issue(ALICE, null, null);
        IssuedToken second = service.rotate(aliceVia(first), new TokenRef.ById(first.info().id()), Duration.ZERO,
                null, null).successor();
        IssuedToken third = service.rotate(aliceVia(second), new TokenRef.ById(second.info().id()),
                Duration.ofHours(1), null, null).successor();
        IssuedToken unrelated = service.issue(ALICE, null, null);
        IssuedToken bobs = service.issue(BOB, null, null);
        clock.advance(Duration.ofMinutes(1));

        Optional<AuthenticatedToken> stolen = service.authenticate(first.plaintext(), THIEF, true);

        assertTrue(stolen.isEmpty());
        assertTrue(!works(second) && !works(third), "the family's active tokens, the one in its grace included");
        assertTrue(works(unrelated) && works(bobs), "another family and another user's are untouched");
        List<AuditEvent> detected = events(AuditType.TOKEN_REUSE_DETECTED);
        assertEquals(1, detected.size());
        assertEquals("alice", detected.get(0).user());
        assertEquals(first.info().id(), detected.get(0).tokenId());
        assertEquals(first.info().displayPrefix(), detected.get(0).tokenPrefix());
        assertEquals(THIEF, detected.get(0).clientAddress());
        List<AuditEvent> revoked = events(AuditType.TOKEN_REVOKED);
        assertEquals(List.of(second.info().id(), third.info().id()), revoked.stream().map(AuditEvent::tokenId).toList());
        String why = "reuse of the replaced token " + first.info().id() + " (" + first.info().displayPrefix()
                + ") detected";
        revoked.forEach(e -> assertEquals(why, e.detail()));
        List<TokenInfo> ended = service.listRevoked("alice", 20);
        assertEquals(2, ended.size());
        ended.forEach(t -> assertEquals(why, t.revokeReason()));
        ended.forEach(t -> assertNull(t.revokedBy()));
    }

    @Test
    void aReplacedTokenNamedByItsSecretInTheBodyAfterItsGraceRevokesTheFamilyToo() {
        IssuedToken old = service.issue(ALICE, null, null);
        IssuedToken successor = service.rotate(aliceVia(old), new TokenRef.ById(old.info().id()), Duration.ZERO,
                null, null).successor();
        clock.advance(Duration.ofSeconds(1));

        TokenRuleViolation v = assertThrows(TokenRuleViolation.class,
                () -> service.rotate(Actor.self("alice", null, THIEF), TokenService.refTo(old.plaintext()), null,
                        null, null));

        assertEquals(ViolationKind.INVALID_TOKEN, v.kind());
        assertEquals("Invalid token.", v.getMessage());
        assertTrue(!works(successor));
        assertEquals(THIEF, events(AuditType.TOKEN_REUSE_DETECTED).get(0).clientAddress());
    }

    @Test
    void noReuseIsDetectedWithinTheGraceByIdOrOutsideARotation() {
        IssuedToken old = service.issue(ALICE, null, null);
        IssuedToken successor = service.rotate(aliceVia(old), new TokenRef.ById(old.info().id()),
                Duration.ofHours(1), null, null).successor();

        TokenRuleViolation inGrace = assertThrows(TokenRuleViolation.class,
                () -> service.rotate(aliceVia(old), TokenService.refTo(old.plaintext()), null, null, null));
        assertEquals(ViolationKind.FORBIDDEN, inGrace.kind(), "in its grace it may not rotate, as before");
        clock.advance(Duration.ofHours(2));
        TokenRuleViolation byId = assertThrows(TokenRuleViolation.class,
                () -> service.rotate(ALICE, new TokenRef.ById(old.info().id()), null, null, null));
        assertEquals(ViolationKind.CONFLICT, byId.kind(), "an id proves no one holds the secret");
        assertTrue(service.authenticate(old.plaintext(), THIEF, false).isEmpty());

        assertTrue(works(successor));
        assertEquals(List.of(), events(AuditType.TOKEN_REUSE_DETECTED));
    }

    @Test
    void aSuccessorNamesItsPredecessorAndItsFamilysFirstToken() {
        IssuedToken first = service.issue(ALICE, null, null);
        IssuedToken second = service.rotate(ALICE, new TokenRef.ById(first.info().id()), Duration.ZERO, null, null)
                .successor();
        IssuedToken third = service.rotate(ALICE, new TokenRef.ById(second.info().id()), Duration.ZERO, null, null)
                .successor();

        assertNull(first.info().rotatedFromId());
        assertEquals(first.info().id(), second.info().rotatedFromId());
        assertEquals(second.info().id(), third.info().rotatedFromId());
        assertEquals(first.info().id(), third.info().family());
    }

    // --- the maximum lifetime applies to tokens that exist ----------------------------------------------

    @Test
    void aLoweredMaximumLifetimeEndsOlderTokensAtOnceAndTheExpiryTaskNotesEachOnce() {
        IssuedToken old = service.issue(ALICE, null, null);
        clock.advance(Duration.ofDays(10));
        IssuedToken younger = service.issue(ALICE, Duration.ofDays(365), null);
        clock.advance(Duration.ofDays(25));
        service = serviceWith(policy(Duration.ofDays(30), 5));

        assertTrue(!works(old), "35 days old under a maximum of 30: ended, before any task ran");
        assertEquals(List.of(younger.info().id()), service.list("alice").stream().map(TokenInfo::id).toList());
        assertEquals(NOW.plus(Duration.ofDays(40)), service.list("alice").get(0).expiresAt(),
                "shown with its end under the maximum: created + 30 days");

        service.noteExpired();
        service.noteExpired();

        List<AuditEvent> expired = events(AuditType.TOKEN_EXPIRED);
        assertEquals(List.of(old.info().id()), expired.stream().map(AuditEvent::tokenId).toList(), "once");
        assertEquals(NOW.plus(Duration.ofDays(30)), expired.get(0).at());
        assertEquals(NOW.plus(Duration.ofDays(40)), store.row(younger.info().id()).expiresAt, "stored too");
        assertTrue(works(younger));
    }

    // --- where a token was used from ---------------------------------------------------------------------

    @Test
    void aTokenKeepsItsFiveMostRecentDistinctAddressesWrittenInTheLastUseBatch() {
        IssuedToken token = service.issue(ALICE, null, null);
        for (int i = 1; i <= 7; i++) {
            clock.advance(Duration.ofSeconds(1));
            service.authenticate(token.plaintext(), "192.0.2." + i);
        }
        clock.advance(Duration.ofSeconds(1));
        service.authenticate(token.plaintext(), "192.0.2.3");
        int callsBefore = store.calls;
        List<TokenInfo.UsedFrom> expected = List.of(
                new TokenInfo.UsedFrom("192.0.2.3", NOW.plusSeconds(8)),
                new TokenInfo.UsedFrom("192.0.2.7", NOW.plusSeconds(7)),
                new TokenInfo.UsedFrom("192.0.2.6", NOW.plusSeconds(6)),
                new TokenInfo.UsedFrom("192.0.2.5", NOW.plusSeconds(5)),
                new TokenInfo.UsedFrom("192.0.2.4", NOW.plusSeconds(4)));

        assertEquals(expected, service.list("alice").get(0).usedFrom(), "pending, before any write");
        service.flushLastUse();
        assertEquals(expected, service.list("alice").get(0).usedFrom(), "written");
        assertEquals(expected.size(), store.row(token.info().id()).addresses.size());
        assertEquals(callsBefore + 2 + 1 + 2, store.calls, "no store call per request: two listings (each a list "
                + "and one address read) and one write");
    }

    @Test
    void withNoAddressesKeptNoneIsRecordedOrShown() {
        service = serviceWith(policy(null, 0));
        IssuedToken token = service.issue(ALICE, null, null);
        service.authenticate(token.plaintext(), "192.0.2.1");

        service.flushLastUse();

        assertEquals(List.of(), service.list("alice").get(0).usedFrom());
        assertEquals(0, store.row(token.info().id()).addresses.size());
        assertEquals(NOW, service.list("alice").get(0).lastUsedAt(), "the last use is still kept");
    }

    // --- revocation by an admin --------------------------------------------------------------------------

    @Test
    void anAdminRevokesAnyUsersTokenWithAReasonThatTheOwnerReads() {
        IssuedToken token = service.issue(ALICE, null, "deploy");

        TokenInfo revoked = service.revokeAsAdmin("root", "192.0.2.50", token.info().id(), "  leaked in a CI log ");

        assertTrue(!works(token));
        assertEquals("root", revoked.revokedBy());
        assertEquals("leaked in a CI log", revoked.revokeReason());
        TokenInfo listed = service.listRevoked("alice", 20).get(0);
        assertEquals(token.info().id(), listed.id());
        assertEquals("root", listed.revokedBy());
        assertEquals("leaked in a CI log", listed.revokeReason());
        AuditEvent event = events(AuditType.TOKEN_REVOKED).get(0);
        assertEquals("alice", event.user());
        assertEquals("root", event.actingUser());
        assertEquals("192.0.2.50", event.clientAddress());
        assertEquals("by an admin from the credentials inventory; reason: leaked in a CI log", event.detail());
    }

    @Test
    void anAdminRevocationNeedsAReasonAndAnEndedOrUnknownTokenIsNotFound() {
        IssuedToken token = service.issue(ALICE, null, null);

        TokenRuleViolation noReason = assertThrows(TokenRuleViolation.class,
                () -> service.revokeAsAdmin("root", null, token.info().id(), " "));
        assertEquals(ViolationKind.INVALID, noReason.kind());
        assertTrue(works(token));
        TokenRuleViolation unknown = assertThrows(TokenRuleViolation.class,
                () -> service.revokeAsAdmin("root", null, 999, "why"));
        assertEquals(ViolationKind.NOT_FOUND, unknown.kind());
        service.revokeAsAdmin("root", null, token.info().id(), "once");
        TokenRuleViolation twice = assertThrows(TokenRuleViolation.class,
                () -> service.revokeAsAdmin("root", null, token.info().id(), "twice"));
        assertEquals(ViolationKind.NOT_FOUND, twice.kind());
        assertEquals("once", service.listRevoked("alice", 20).get(0).revokeReason());
    }

    @Test
    void anOwnersOwnRevocationNamesNoOneElseAndNoReason() {
        IssuedToken token = service.issue(ALICE, null, null);

        service.revoke(ALICE, new TokenRef.ById(token.info().id()));

        TokenInfo listed = service.listRevoked("alice", 20).get(0);
        assertNull(listed.revokedBy());
        assertNull(listed.revokeReason());
        assertEquals(NOW, listed.revokedAt());
    }
}
