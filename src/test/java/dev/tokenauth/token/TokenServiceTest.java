package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.audit.RecordingAuditStore;

class TokenServiceTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");
    private static final Actor BOB = Actor.self("bob", null, "192.0.2.2");

    private InMemoryTokenStore store;
    private RecordingAuditStore auditStore;
    private AuditTrail audit;
    private MutableClock clock;
    private TokenService service;

    @BeforeEach
    void setUp() {
        store = new InMemoryTokenStore();
        auditStore = new RecordingAuditStore();
        audit = new AuditTrail(auditStore);
        clock = new MutableClock(NOW);
        service = serviceWith(TokenPolicy.defaults());
    }

    private TokenService serviceWith(TokenPolicy policy) {
        return TokenServiceFixture.on(store).policy(policy).audit(audit).clock(clock).build();
    }

    private static TokenPolicy policy(Duration defaultLifetime, Duration maxLifetime, int limit) {
        return new TokenPolicy(defaultLifetime, maxLifetime, Duration.ofDays(1), Duration.ofDays(7), limit,
                Duration.ofDays(30));
    }

    private IssuedToken issue(Actor actor) {
        return service.issue(actor, null, null);
    }

    private static Actor aliceVia(IssuedToken token) {
        return Actor.self("alice", token.info().id(), "192.0.2.1");
    }

    private Optional<AuthenticatedToken> authenticate(String presented) {
        return service.authenticate(presented, "192.0.2.9");
    }

    // --- issue -------------------------------------------------------------------------------------------

    @Test
    void issueStoresTheDigestAndDisplayPrefixButNeverThePlaintext() {
        IssuedToken issued = issue(ALICE);
        String plaintext = issued.plaintext();

        assertEquals(1, store.rows.size(), "one token should be stored");
        NewToken stored = store.rows.get(0).token;
        assertEquals(TokenFormat.digest(plaintext), stored.digest());
        assertEquals(plaintext.substring(0, 10), stored.displayPrefix());
        assertEquals("alice", stored.owner());
        assertFalse(stored.toString().contains(plaintext.substring(10)), "the stored record shows the secret");
        assertFalse(store.events.toString().contains(plaintext.substring(10)), "an audit event shows the secret");
    }

    @Test
    void issueReturnsAWellFormedTokenThatAuthenticatesAsItsOwner() {
        IssuedToken issued = issue(ALICE);

        assertTrue(TokenFormat.isWellFormed(issued.plaintext()), issued.plaintext() + " should be well formed");
        assertEquals(Optional.of(new AuthenticatedToken(issued.info().id(), "alice", Set.of("read", "write"))),
                authenticate(issued.plaintext()));
    }

    @Test
    void issueReturnsInfoWithTheStoreIdOwnerPrefixAndTheClocksTime() {
        IssuedToken issued = service.issue(ALICE, null, "  laptop  ");

        assertEquals(new TokenInfo(1, issued.plaintext().substring(0, 10), "alice", "laptop", NOW, null, null, null,
                null, null, Set.of("read", "write")), issued.info());
    }

    @Test
    void issueByATokenRecordsThatTokenAndASessionRecordsNone() {
        IssuedToken first = issue(ALICE);
        IssuedToken second = service.issue(aliceVia(first), null, null);

        assertTrue(first.info().createdBySession());
        assertEquals(first.info().id(), second.info().createdByTokenId());
    }

    @Test
    void issueGivesEveryTokenADifferentPlaintextAndDigest() {
        IssuedToken a = issue(ALICE);
        IssuedToken b = issue(ALICE);

        assertNotEquals(a.plaintext(), b.plaintext());
        assertNotEquals(store.rows.get(0).token.digest(), store.rows.get(1).token.digest());
    }

    @Test
    void issueStoresACreatedAuditEventWithTheActorAndClientAddress() {
        IssuedToken issued = issue(ALICE);

        assertEquals(List.of(new AuditEvent(0, NOW, AuditType.TOKEN_CREATED, "alice", "alice", issued.info().id(),
                issued.info().displayPrefix(), "192.0.2.1", "from a login session")), store.events);
    }

    @Test
    void issuedTokenToStringDoesNotShowThePlaintext() {
        IssuedToken issued = issue(ALICE);

        assertEquals("IssuedToken[id=1, prefix=" + issued.plaintext().substring(0, 10) + "]", issued.toString());
    }

    @Test
    void anOverlongOrControlCharacterLabelIsRefusedAndNothingIsStored() {
        for (String label : List.of("x".repeat(101), "line\nbreak")) {
            TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> service.issue(ALICE, null, label));
            assertEquals(ViolationKind.INVALID, v.kind());
        }
        assertEquals(0, store.rows.size());
        assertEquals("x".repeat(100), service.issue(ALICE, null, "x".repeat(100)).info().label());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u3164", "ci\u3164", "\u115f\u1160", "\uffa0", "\u2800\u2800", "a\u034fb", "\u17b4"})
    void aLabelWithAnInvisibleFillerIsRefusedAndNothingIsStored(String label) {
        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> service.issue(ALICE, null, label));

        assertEquals(ViolationKind.INVALID, v.kind());
        assertEquals("label must not hold invisible fillers (such as U+3164 HANGUL FILLER or U+2800 BRAILLE PATTERN "
                + "BLANK).", v.getMessage());
        assertEquals(0, store.rows.size());
        assertEquals(List.of(), store.events);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "   ", "\t", "\u00a0", "\u00a0\u00a0\u00a0", "\u2007", "\u202f", "\u3000",
        "\u2003 \u00a0"})
    void aLabelOfOnlySpacesOfAnyKindIsRefusedAndNothingIsStored(String label) {
        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> service.issue(ALICE, null, label));

        assertEquals(ViolationKind.INVALID, v.kind());
        assertEquals("label must not be only spaces; leave it out for no label.", v.getMessage());
        assertEquals(0, store.rows.size());
    }

    @Test
    void anEmptyLabelIsNoLabel() {
        assertNull(service.issue(ALICE, null, "").info().label());
    }

    @Test
    void noBreakSpacesAroundALabelAreTakenOffAndThoseInsideKept() {
        assertEquals("c\u00a0i", service.issue(ALICE, null, "\u00a0\u202f c\u00a0i\u2007 ").info().label());
    }

    @Test
    void moreThanThreeCombiningMarksOnOneCharacterAreRefusedAndNothingIsStored() {
        for (String label : List.of("e\u0301\u0302\u0303\u0304", "Z\u0351\u036b\u0343\u036a\u0302\u036b",
                "ok " + "a" + "\u0300".repeat(40), "\u0300\u0301\u0302\u0303", "\u20dd\u20de\u20df\u20e0x")) {
            TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> service.issue(ALICE, null, label),
                    label);
            assertEquals(ViolationKind.INVALID, v.kind());
            assertEquals("label must not stack more than 3 combining marks on one character.", v.getMessage());
        }
        assertEquals(0, store.rows.size());
    }

    @Test
    void upToThreeCombiningMarksOnEachCharacterAreALabel() {
        String label = "e\u0323\u0302 a\u0301\u0302\u0303b\u0300\u0301\u0302";

        assertEquals(label, service.issue(ALICE, null, label).info().label());
    }

    @Test
    void rotationRefusesTheSameLabelsAndKeepsTheOldToken() {
        IssuedToken old = service.issue(ALICE, null, "ci");

        for (String label : List.of("\u3164", "\u00a0", "a\u0300\u0301\u0302\u0303")) {
            TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> service.rotate(aliceVia(old),
                    new TokenRef.ById(old.info().id()), null, null, label), label);
            assertEquals(ViolationKind.INVALID, v.kind());
        }
        assertEquals(1, store.rows.size());
        assertNull(store.rows.get(0).rotatedTo, "not rotated");
    }

    // --- expiry --------------------------------------------------------------------------------------------

    @Test
    void withoutAnyLifetimeSettingTokensNeverExpire() {
        IssuedToken issued = issue(ALICE);

        assertNull(issued.info().expiresAt());
        clock.advance(Duration.ofDays(3650));
        assertTrue(authenticate(issued.plaintext()).isPresent());
    }

    @Test
    void expiresInSetsTheExpiryAndTheTokenIsRefusedFromThatInstantOn() {
        IssuedToken issued = service.issue(ALICE, Duration.ofSeconds(60), null);

        assertEquals(NOW.plusSeconds(60), issued.info().expiresAt());
        clock.advance(Duration.ofSeconds(59));
        assertTrue(authenticate(issued.plaintext()).isPresent(), "valid one second before expiry");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), authenticate(issued.plaintext()), "refused at its expiry");
    }

    @Test
    void theDefaultLifetimeAppliesWhenNoneIsAsked() {
        service = serviceWith(policy(Duration.ofHours(1), null, 10));

        assertEquals(NOW.plus(Duration.ofHours(1)), issue(ALICE).info().expiresAt());
        assertEquals(NOW.plus(Duration.ofHours(5)), service.issue(ALICE, Duration.ofHours(5), null).info().expiresAt());
    }

    @Test
    void theMaximumLifetimeCapsTheDefaultAndRefusesLongerRequests() {
        service = serviceWith(policy(null, Duration.ofDays(30), 10));

        assertEquals(NOW.plus(Duration.ofDays(30)), issue(ALICE).info().expiresAt(),
                "with a maximum and no default, a token lives for the maximum");
        assertEquals(NOW.plus(Duration.ofDays(30)), service.issue(ALICE, Duration.ofDays(30), null).info().expiresAt());
        TokenRuleViolation v = assertThrows(TokenRuleViolation.class,
                () -> service.issue(ALICE, Duration.ofDays(30).plusSeconds(1), null));
        assertEquals(ViolationKind.INVALID, v.kind());
        assertEquals("expires_in exceeds the maximum lifetime of 2592000 seconds.", v.getMessage());
        assertEquals(2, store.rows.size(), "the refused request stores nothing");
    }

    @ParameterizedTest
    @ValueSource(longs = {3_153_600_001L, 100_000_000_000_000_000L, Long.MAX_VALUE})
    void withoutAConfiguredMaximumALifetimePastAHundredYearsIsRefusedNotOverflowed(long seconds) {
        assertEquals(NOW.plus(TokenPolicy.LONGEST),
                service.issue(ALICE, TokenPolicy.LONGEST, null).info().expiresAt(), "a hundred years is allowed");
        int rows = store.rows.size();

        TokenRuleViolation v = assertThrows(TokenRuleViolation.class,
                () -> service.issue(ALICE, Duration.ofSeconds(seconds), null));
        assertEquals(ViolationKind.INVALID, v.kind());
        assertEquals("expires_in exceeds the maximum lifetime of 3153600000 seconds.", v.getMessage());
        assertEquals(rows, store.rows.size(), "the refused request stores nothing");
    }

    @Test
    void aPolicyCannotConfigureLifetimesOrGracePastAHundredYears() {
        Duration tooLong = TokenPolicy.LONGEST.plusSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> policy(tooLong, null, 10));
        assertThrows(IllegalArgumentException.class, () -> policy(null, tooLong, 10));
        assertThrows(IllegalArgumentException.class, () -> new TokenPolicy(null, null, Duration.ofDays(1), tooLong,
                10, Duration.ofDays(30)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void aLifetimeThatIsNotPositiveIsRefused(long seconds) {
        TokenRuleViolation v = assertThrows(TokenRuleViolation.class,
                () -> service.issue(ALICE, Duration.ofSeconds(seconds), null));
        assertEquals("expires_in must be a positive number of seconds.", v.getMessage());
    }

    @Test
    void aPolicyWhoseDefaultExceedsItsMaximumIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> policy(Duration.ofDays(2), Duration.ofDays(1), 10));
        assertThrows(IllegalArgumentException.class, () -> policy(null, null, 0));
    }

    @Test
    void expiredTokensAreNotedOnceInTheAuditTrail() {
        IssuedToken shortLived = service.issue(ALICE, Duration.ofSeconds(10), null);
        issue(ALICE);
        clock.advance(Duration.ofSeconds(10));

        service.noteExpired();
        service.noteExpired();

        List<AuditEvent> expired = store.events.stream().filter(e -> e.type() == AuditType.TOKEN_EXPIRED).toList();
        assertEquals(1, expired.size(), "one expiry, noted once: " + expired);
        assertEquals(shortLived.info().id(), expired.get(0).tokenId());
    }

    @Test
    void purgeDeletesOnlyTokensEndedLongerAgoThanTheRetention() {
        IssuedToken revokedLongAgo = issue(ALICE);
        IssuedToken expiring = service.issue(ALICE, Duration.ofDays(1), null);
        IssuedToken kept = issue(ALICE);
        service.revoke(ALICE, TokenService.refTo(revokedLongAgo.plaintext()));
        clock.advance(Duration.ofDays(30).plusSeconds(1));
        IssuedToken revokedNow = issue(ALICE);
        service.revoke(ALICE, TokenService.refTo(revokedNow.plaintext()));

        assertEquals(1, service.purge(), "only the token revoked over 30 days ago");
        clock.advance(Duration.ofDays(1));
        assertEquals(1, service.purge(), "then the one that expired over 30 days ago");
        assertEquals(List.of(kept.info().id(), revokedNow.info().id()), store.rows.stream().map(r -> r.id).toList());
        assertTrue(expiring.info().id() > 0);
    }

    // --- scopes ------------------------------------------------------------------------------------------

    private static final Set<String> READ_WRITE = Set.of("read", "write");

    private TokenService withScopes(String known) {
        return serviceWith(new TokenPolicy(null, null, Duration.ofDays(1), Duration.ofDays(7), 10,
                Duration.ofDays(30), Scopes.of(known)));
    }

    private static TokenRuleViolation refused(ViolationKind kind, String msg,
            org.junit.jupiter.api.function.Executable call) {
        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, call);
        assertEquals(kind, v.kind(), v.getMessage());
        assertEquals(msg, v.getMessage());
        return v;
    }

    @Test
    void aTokenMadeFromASessionWithoutScopesGetsEveryScopeTheApplicationKnows() {
        service = withScopes("read,write,orders");

        assertEquals(Set.of("orders", "read", "write"), issue(ALICE).info().scopes());
    }

    @Test
    void aTokenMadeByATokenWithoutScopesGetsTheCreatingTokensScopes() {
        service = withScopes("read,write,orders");
        IssuedToken parent = service.issue(ALICE, null, null, List.of("write", "read"));

        assertEquals(READ_WRITE, service.issue(aliceVia(parent), null, null).info().scopes());
    }

    @Test
    void theScopesAskedForAreGivenAndAuthenticateWithTheToken() {
        IssuedToken readOnly = service.issue(ALICE, null, null, List.of("read"));

        assertEquals(Set.of("read"), readOnly.info().scopes());
        assertEquals(Set.of("read"), store.rows.get(0).token.scopes());
        assertEquals(Set.of("read"), authenticate(readOnly.plaintext()).orElseThrow().scopes());
        assertEquals(Set.of("read"), service.list("alice").get(0).scopes());
    }

    @Test
    void anUnknownScopeIsInvalidAndNothingIsStored() {
        refused(ViolationKind.INVALID, "Unknown scope 'admin'; the scopes are introspect, read, write.",
                () -> service.issue(ALICE, null, null, List.of("read", "admin")));
        assertEquals(0, store.rows.size(), "no token should be stored");
    }

    @Test
    void anEmptyListOfScopesIsInvalid() {
        refused(ViolationKind.INVALID, "scopes must name at least one scope.",
                () -> service.issue(ALICE, null, null, List.of()));
    }

    @Test
    void aTokenWithoutWriteCannotCreateTokensEvenReadOnlyOnes() {
        IssuedToken readOnly = service.issue(ALICE, null, null, List.of("read"));

        refused(ViolationKind.FORBIDDEN, "This token lacks the scope 'write'.",
                () -> service.issue(aliceVia(readOnly), null, null, List.of("read")));
        refused(ViolationKind.FORBIDDEN, "This token lacks the scope 'write'.",
                () -> service.issue(aliceVia(readOnly), null, null));
        assertEquals(1, store.rows.size(), "only the read-only token should be stored");
    }

    @Test
    void aTokenWithoutWriteIsRefusedBeforeAnyOtherRule() {
        IssuedToken readOnly = service.issue(ALICE, null, null, List.of("read"));

        refused(ViolationKind.FORBIDDEN, "This token lacks the scope 'write'.",
                () -> service.issue(aliceVia(readOnly), Duration.ofDays(40_000), "\u202e", List.of("nope")));
    }

    @Test
    void aTokenCanGiveASubsetOfItsScopesButNoScopeItLacks() {
        service = withScopes("read,write,orders");
        IssuedToken parent = service.issue(ALICE, null, null, List.of("read", "write"));

        assertEquals(Set.of("read"), service.issue(aliceVia(parent), null, null, List.of("read")).info().scopes());
        refused(ViolationKind.INVALID, "A token can give only scopes it has itself; the token that makes"
                + " this request lacks 'orders'.", () -> service.issue(aliceVia(parent), null, null,
                        List.of("read", "orders")));
        assertEquals(2, store.rows.size(), "the wider token should not be stored");
    }

    @Test
    void rotationKeepsTheOldTokensScopes() {
        IssuedToken readOnly = service.issue(ALICE, null, null, List.of("read"));
        IssuedToken full = issue(ALICE);

        TokenService.Rotated bySession = service.rotate(ALICE, new TokenRef.ById(readOnly.info().id()), null, null,
                null);
        TokenService.Rotated itself = service.rotate(aliceVia(full), new TokenRef.ById(full.info().id()), null,
                null, null);

        assertEquals(Set.of("read"), bySession.successor().info().scopes());
        assertEquals(READ_WRITE, itself.successor().info().scopes());
    }

    @Test
    void rotationGivesTheScopesAskedForWithinTheRequestingTokens() {
        IssuedToken full = issue(ALICE);

        TokenService.Rotated narrowed = service.rotate(aliceVia(full), new TokenRef.ById(full.info().id()),
                Duration.ZERO, null, null, List.of("read"));

        assertEquals(Set.of("read"), narrowed.successor().info().scopes());
    }

    @Test
    void aTokenCannotRotateATokenWithAScopeItLacks() {
        service = withScopes("read,write,orders");
        IssuedToken orders = service.issue(ALICE, null, null, List.of("read", "orders"));
        IssuedToken writer = service.issue(ALICE, null, null, List.of("read", "write"));

        refused(ViolationKind.INVALID, "A token can give only scopes it has itself; the token that makes"
                + " this request lacks 'orders'.", () -> service.rotate(aliceVia(writer),
                        new TokenRef.ById(orders.info().id()), null, null, null));
        assertNull(store.rows.get(0).rotatedTo, "the old token should not be rotated");
    }

    @Test
    void aReadOnlyTokenCannotRotateEvenItself() {
        IssuedToken readOnly = service.issue(ALICE, null, null, List.of("read"));

        refused(ViolationKind.FORBIDDEN, "This token lacks the scope 'write'.",
                () -> service.rotate(aliceVia(readOnly), new TokenRef.ById(readOnly.info().id()), null, null, null));
    }

    @Test
    void rotatingAnotherUsersTokenIsNotFoundBeforeItsScopesAreLookedAt() {
        IssuedToken bobs = issue(BOB);

        refused(ViolationKind.NOT_FOUND, "Token not found.",
                () -> service.rotate(ALICE, new TokenRef.ById(bobs.info().id()), null, null, null));
        refused(ViolationKind.NOT_FOUND, "Token not found.",
                () -> service.rotate(ALICE, TokenService.refTo(bobs.plaintext()), null, null, null));
    }

    @Test
    void aTokenOfAnEarlierVersionWithoutScopesHasEveryScopeAndKeepsThemThroughRotation() {
        String plaintext = TokenFormat.generate(new SecureRandom());
        NewToken scopeless = new NewToken(TokenFormat.digest(plaintext), TokenFormat.displayPrefix(plaintext),
                "alice", null, NOW, null, null, null);
        TokenInfo old = store.create("alice", null, parent -> new TokenStore.Creation(scopeless,
                AuditEvent.of(NOW, AuditType.TOKEN_CREATED, "alice", "alice", null, null)), 10).orElseThrow();

        assertEquals(READ_WRITE, authenticate(plaintext).orElseThrow().scopes());
        assertEquals(READ_WRITE, service.list("alice").get(0).scopes());
        assertEquals(READ_WRITE, service.issue(Actor.self("alice", old.id(), null), null, null).info().scopes());
        assertEquals(READ_WRITE, service.rotate(ALICE, new TokenRef.ById(old.id()), null, null, null)
                .successor().info().scopes());
    }

    @Test
    void aScopeTakenOutOfTheSettingIsNotHandedOnByCreationOrRotation() {
        service = withScopes("read,write,orders");
        IssuedToken parent = service.issue(ALICE, null, null, List.of("read", "write", "orders"));
        service = withScopes("read,write");

        assertEquals(READ_WRITE, service.issue(aliceVia(parent), null, null).info().scopes());
        assertEquals(READ_WRITE, service.rotate(ALICE, new TokenRef.ById(parent.info().id()), null, null, null)
                .successor().info().scopes());
    }

    @Test
    void theAuditTrailNamesTheScopesInAlphabeticalOrder() {
        service = withScopes("read,write,orders");
        IssuedToken parent = service.issue(ALICE, null, null, List.of("write", "read"));
        service.issue(aliceVia(parent), null, null);

        assertEquals("by token 1; scopes: read write", store.events.get(1).detail());
    }

    @Test
    void theAuditTrailNamesTheScopesOfATokenWithFewerThanAll() {
        IssuedToken readOnly = service.issue(ALICE, null, null, List.of("read"));
        service.rotate(ALICE, new TokenRef.ById(readOnly.info().id()), null, null, null);

        assertEquals(List.of("from a login session; scopes: read", "by rotation of token 1; scopes: read",
                "successor token 2 (" + store.rows.get(1).token.displayPrefix() + "); scopes: read"),
                store.events.stream().map(AuditEvent::detail).toList());
    }

    // --- authenticate ------------------------------------------------------------------------------------

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"tka_", "Token abc", "tka_0000000000000000000000000000000000000000000000000000"})
    void authenticateOfMalformedInputIsEmptyAndNeverCallsTheStore(String presented) {
        assertEquals(Optional.empty(), authenticate(presented));
        assertEquals(0, store.calls, "the store should never be called for a malformed token");
    }

    @Test
    void authenticateOfATokenWithOneCharacterChangedNeverCallsTheStore() {
        String plaintext = issue(ALICE).plaintext();
        int callsAfterIssue = store.calls;
        char last = plaintext.charAt(plaintext.length() - 1);

        assertEquals(Optional.empty(), authenticate(plaintext.substring(0, plaintext.length() - 1) + (last == 'a' ? 'b' : 'a')));
        assertEquals(callsAfterIssue, store.calls, "a token with a bad checksum should not reach the store");
    }

    @Test
    void everyRefusalIsQueuedForTheAuditTrailWithItsReason() {
        IssuedToken revoked = issue(ALICE);
        IssuedToken expired = service.issue(ALICE, Duration.ofSeconds(1), null);
        service.revoke(ALICE, TokenService.refTo(revoked.plaintext()));
        clock.advance(Duration.ofSeconds(1));

        authenticate("junk");
        authenticate(TokenFormat.generate(new SecureRandom()));
        authenticate(revoked.plaintext());
        authenticate(expired.plaintext());
        service.refusedUnusableHeader("192.0.2.9");
        audit.flush();

        assertEquals(List.of("malformed", "unknown", "revoked", "expired", "unusable Authorization header"),
                auditStore.stored().stream().map(AuditEvent::detail).toList());
        assertEquals(List.of(RefusalReason.MALFORMED, RefusalReason.UNKNOWN, RefusalReason.REVOKED,
                RefusalReason.EXPIRED, RefusalReason.UNUSABLE_HEADER),
                auditStore.stored().stream().map(AuditEvent::kind).toList());
        assertTrue(auditStore.stored().stream().allMatch(e -> e.type() == AuditType.TOKEN_REFUSED
                && "192.0.2.9".equals(e.clientAddress())));
        assertEquals(revoked.info().id(), auditStore.stored().get(2).tokenId());
        assertEquals("alice", auditStore.stored().get(2).user());
        assertEquals(null, auditStore.stored().get(4).user());
        assertEquals(null, auditStore.stored().get(4).tokenId());
    }

    @Test
    void aTokenOfADisabledOwnerIsRefusedAndTheReasonAudited() {
        Set<String> disabled = new HashSet<>();
        store = new InMemoryTokenStore(disabled::contains);
        service = serviceWith(TokenPolicy.defaults());
        IssuedToken token = issue(ALICE);
        disabled.add("alice");

        assertEquals(Optional.empty(), authenticate(token.plaintext()));
        audit.flush();
        AuditEvent refused = auditStore.stored().get(auditStore.stored().size() - 1);
        assertEquals("owner disabled", refused.detail());
        assertEquals(RefusalReason.OWNER_DISABLED, refused.kind());
        assertEquals(token.info().id(), refused.tokenId());

        disabled.remove("alice");
        assertTrue(authenticate(token.plaintext()).isPresent(), "the flag alone decides; revocation is separate");
    }

    // --- last use ----------------------------------------------------------------------------------------

    @Test
    void lastUseIsKeptInMemoryUntilFlushedWithoutAStoreWritePerRequest() {
        IssuedToken issued = issue(ALICE);
        clock.advance(Duration.ofSeconds(5));
        authenticate(issued.plaintext());
        clock.advance(Duration.ofSeconds(5));
        authenticate(issued.plaintext());

        assertNull(store.row(issued.info().id()).lastUsedAt, "nothing written per request");
        assertEquals(NOW.plusSeconds(10), service.list("alice").get(0).lastUsedAt(), "the list shows the pending time");

        service.flushLastUse();

        assertEquals(NOW.plusSeconds(10), store.row(issued.info().id()).lastUsedAt);
        int calls = store.calls;
        service.flushLastUse();
        assertEquals(calls, store.calls, "nothing pending, nothing written");
    }

    @Test
    void aListingMadeWhileLastUsesAreBeingWrittenStillShowsThem() {
        IssuedToken issued = issue(ALICE);
        clock.advance(Duration.ofSeconds(5));
        authenticate(issued.plaintext());
        List<Instant> listedDuringTheWrite = new java.util.ArrayList<>();
        store.duringLastUseWrite = () -> listedDuringTheWrite.add(service.list("alice").get(0).lastUsedAt());

        service.flushLastUse();

        assertEquals(List.of(NOW.plusSeconds(5)), listedDuringTheWrite);
    }

    @Test
    void aUseMadeWhileLastUsesAreBeingWrittenIsWrittenByTheNextFlush() {
        IssuedToken issued = issue(ALICE);
        clock.advance(Duration.ofSeconds(5));
        authenticate(issued.plaintext());
        store.duringLastUseWrite = () -> {
            clock.advance(Duration.ofSeconds(5));
            authenticate(issued.plaintext());
        };

        service.flushLastUse();
        store.duringLastUseWrite = () -> { };
        assertEquals(NOW.plusSeconds(10), service.list("alice").get(0).lastUsedAt(), "the newer use stays pending");
        service.flushLastUse();

        assertEquals(NOW.plusSeconds(10), store.row(issued.info().id()).lastUsedAt);
    }

    @Test
    void lastUsesThatCouldNotBeWrittenStayPendingForTheNextFlush() {
        IssuedToken issued = issue(ALICE);
        clock.advance(Duration.ofSeconds(5));
        authenticate(issued.plaintext());
        store.duringLastUseWrite = () -> {
            throw new IllegalStateException("database down");
        };

        assertThrows(IllegalStateException.class, service::flushLastUse);
        store.duringLastUseWrite = () -> { };
        assertEquals(NOW.plusSeconds(5), service.list("alice").get(0).lastUsedAt());
        service.flushLastUse();

        assertEquals(NOW.plusSeconds(5), store.row(issued.info().id()).lastUsedAt);
    }

    // --- revoke ------------------------------------------------------------------------------------------

    @Test
    void revokeByTheOwnerRevokesAndTheTokenNoLongerAuthenticates() {
        IssuedToken issued = issue(ALICE);

        TokenInfo revoked = service.revoke(ALICE, TokenService.refTo(issued.plaintext()));

        assertEquals(NOW, revoked.revokedAt());
        assertEquals(Optional.empty(), authenticate(issued.plaintext()));
    }

    @Test
    void revokeByIdWorksForTheOwnerOnly() {
        IssuedToken issued = issue(ALICE);
        TokenRef byId = new TokenRef.ById(issued.info().id());

        assertNotFound(() -> service.revoke(BOB, byId));
        assertTrue(authenticate(issued.plaintext()).isPresent(), "alice's token should remain active");
        service.revoke(ALICE, byId);
        assertEquals(Optional.empty(), authenticate(issued.plaintext()));
    }

    @Test
    void revokeByAnotherOwnerTwiceOrOfAnExpiredTokenIsTheSameNotFound() {
        IssuedToken issued = issue(ALICE);
        IssuedToken expiring = service.issue(ALICE, Duration.ofSeconds(1), null);

        assertNotFound(() -> service.revoke(BOB, TokenService.refTo(issued.plaintext())));
        service.revoke(ALICE, TokenService.refTo(issued.plaintext()));
        assertNotFound(() -> service.revoke(ALICE, TokenService.refTo(issued.plaintext())));
        clock.advance(Duration.ofSeconds(1));
        assertNotFound(() -> service.revoke(ALICE, TokenService.refTo(expiring.plaintext())));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"tka_", "not a token"})
    void revokeOfMalformedInputIsNotFoundAndNeverCallsTheStore(String presented) {
        assertNotFound(() -> service.revoke(ALICE, TokenService.refTo(presented)));
        assertEquals(0, store.calls, "the store should never be called for a malformed token");
    }

    @Test
    void listReturnsOnlyTheOwnersActiveTokensOldestFirst() {
        IssuedToken a1 = issue(ALICE);
        IssuedToken b1 = issue(BOB);
        IssuedToken a2 = service.issue(aliceVia(a1), null, null);
        IssuedToken a3 = service.issue(ALICE, Duration.ofSeconds(1), null);
        IssuedToken a4 = issue(ALICE);
        service.revoke(ALICE, TokenService.refTo(a2.plaintext()));
        clock.advance(Duration.ofSeconds(1));

        assertEquals(List.of(a1.info(), a4.info()), service.list("alice"), "revoked and expired are not listed");
        assertEquals(List.of(b1.info()), service.list("bob"));
        assertEquals(List.of(), service.list("carol"));
        assertNotNull(a3);
    }

    // --- limits ------------------------------------------------------------------------------------------

    @Test
    void theLimitCountsActiveTokensOnlyAndIsPerUser() {
        service = serviceWith(policy(null, null, 2));
        IssuedToken first = issue(ALICE);
        issue(ALICE);

        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> issue(ALICE));
        assertEquals(ViolationKind.LIMIT_REACHED, v.kind());
        assertEquals("Token limit reached (2).", v.getMessage());
        issue(BOB);
        service.revoke(ALICE, TokenService.refTo(first.plaintext()));
        issue(ALICE);
        assertEquals(2, service.list("alice").size());
    }

    // --- rotation ----------------------------------------------------------------------------------------

    @Test
    void rotationCreatesTheSuccessorAndEndsTheOldTokenAfterTheDefaultGraceOfOneDay() {
        IssuedToken old = service.issue(ALICE, null, "ci");

        TokenService.Rotated rotated = service.rotate(aliceVia(old), new TokenRef.ById(old.info().id()), null, null, null);

        assertEquals(NOW.plus(Duration.ofDays(1)), rotated.old().expiresAt());
        assertEquals(rotated.successor().info().id(), rotated.old().rotatedToId());
        assertEquals("ci", rotated.successor().info().label(), "the successor keeps the label");
        assertEquals(old.info().id(), rotated.successor().info().createdByTokenId());
        assertTrue(authenticate(old.plaintext()).isPresent(), "the old token works during the grace period");
        assertTrue(authenticate(rotated.successor().plaintext()).isPresent());
        clock.advance(Duration.ofDays(1));
        assertEquals(Optional.empty(), authenticate(old.plaintext()), "the old token ends with the grace period");
        assertTrue(authenticate(rotated.successor().plaintext()).isPresent());
        assertEquals(List.of(AuditType.TOKEN_CREATED, AuditType.TOKEN_CREATED, AuditType.TOKEN_ROTATED),
                store.events.stream().map(AuditEvent::type).toList());
    }

    @Test
    void aZeroGraceEndsTheOldTokenImmediately() {
        IssuedToken old = issue(ALICE);

        TokenService.Rotated rotated = service.rotate(ALICE, TokenService.refTo(old.plaintext()), Duration.ZERO,
                null, null);

        assertEquals(NOW, rotated.old().expiresAt());
        assertEquals(Optional.empty(), authenticate(old.plaintext()));
        assertTrue(authenticate(rotated.successor().plaintext()).isPresent());
    }

    @Test
    void rotationNeverExtendsTheOldTokensLife() {
        IssuedToken old = service.issue(ALICE, Duration.ofHours(1), null);

        TokenService.Rotated rotated = service.rotate(ALICE, new TokenRef.ById(old.info().id()), Duration.ofDays(1),
                null, null);

        assertEquals(NOW.plus(Duration.ofHours(1)), rotated.old().expiresAt());
    }

    @Test
    void aGraceOverTheMaximumOrNegativeIsRefusedAndNothingChanges() {
        IssuedToken old = issue(ALICE);
        for (Duration grace : List.of(Duration.ofDays(7).plusSeconds(1), Duration.ofSeconds(-1))) {
            TokenRuleViolation v = assertThrows(TokenRuleViolation.class,
                    () -> service.rotate(ALICE, new TokenRef.ById(old.info().id()), grace, null, null));
            assertEquals("grace_seconds must be between 0 and 604800.", v.getMessage());
        }
        assertEquals(1, store.rows.size());
        assertNull(store.row(old.info().id()).expiresAt);
    }

    @Test
    void rotatingATokenTwiceIsAConflict() {
        IssuedToken old = issue(ALICE);
        TokenRef ref = new TokenRef.ById(old.info().id());
        service.rotate(ALICE, ref, null, null, null);

        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> service.rotate(ALICE, ref, null, null, null));

        assertEquals(ViolationKind.CONFLICT, v.kind());
        assertEquals("Token was already rotated; rotate its successor instead.", v.getMessage());
        assertEquals(2, store.rows.size(), "no second successor");
    }

    @Test
    void rotatingAnotherUsersOrARevokedOrExpiredTokenIsNotFound() {
        IssuedToken old = issue(ALICE);
        assertNotFound(() -> service.rotate(BOB, new TokenRef.ById(old.info().id()), null, null, null));
        service.revoke(ALICE, new TokenRef.ById(old.info().id()));
        assertNotFound(() -> service.rotate(ALICE, new TokenRef.ById(old.info().id()), null, null, null));
        IssuedToken shortLived = service.issue(ALICE, Duration.ofMinutes(1), null);
        clock.advance(Duration.ofMinutes(1));
        assertNotFound(() -> service.rotate(ALICE, new TokenRef.ById(shortLived.info().id()), null, null, null));
        assertEquals(2, store.rows.size());
    }

    @Test
    void aRotatedTokenIsAConflictEvenAfterItsGracePeriodEnded() {
        IssuedToken old = issue(ALICE);
        TokenRef ref = new TokenRef.ById(old.info().id());
        service.rotate(ALICE, ref, Duration.ZERO, null, null);

        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> service.rotate(ALICE, ref, null, null, null));
        assertEquals(ViolationKind.CONFLICT, v.kind());
        assertNotFound(() -> service.rotate(BOB, ref, null, null, null));
        assertEquals(2, store.rows.size());
    }

    @Test
    void rotationAtTheLimitMayGoOnePastItUntilTheOldTokenEnds() {
        service = serviceWith(policy(null, null, 2));
        IssuedToken a = issue(ALICE);
        IssuedToken b = issue(ALICE);

        service.rotate(ALICE, new TokenRef.ById(a.info().id()), null, null, null);

        assertEquals(3, service.list("alice").size(), "the old token still works in its grace period");
        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, () -> issue(ALICE));
        assertEquals(ViolationKind.LIMIT_REACHED, v.kind(), "the token in its grace period counts");
        v = assertThrows(TokenRuleViolation.class,
                () -> service.rotate(ALICE, new TokenRef.ById(b.info().id()), null, null, null));
        assertEquals(ViolationKind.LIMIT_REACHED, v.kind(), "no second step past the limit");
        clock.advance(Duration.ofDays(1));
        service.rotate(ALICE, new TokenRef.ById(b.info().id()), null, null, null);
        assertEquals(3, service.list("alice").size(), "once the old token ended, the next rotation goes through");
    }

    @Test
    void chainedRotationsCannotPileUpTokensInTheirGracePeriods() {
        service = serviceWith(policy(null, null, 3));
        IssuedToken current = issue(ALICE);
        int rotations = 0;
        try {
            for (; rotations < 10; rotations++) {
                current = service.rotate(aliceVia(current), new TokenRef.ById(current.info().id()),
                        Duration.ofDays(7), null, null).successor();
            }
        } catch (TokenRuleViolation e) {
            assertEquals(ViolationKind.LIMIT_REACHED, e.kind());
        }
        assertEquals(3, rotations, "one token rotated into three more, then the limit (3) plus one held");
        assertEquals(4, service.list("alice").size());
    }

    private static void assertNotFound(org.junit.jupiter.api.function.Executable call) {
        TokenRuleViolation v = assertThrows(TokenRuleViolation.class, call);
        assertEquals(ViolationKind.NOT_FOUND, v.kind());
        assertEquals("Token not found.", v.getMessage());
    }

    private static void assertNotNull(Object o) {
        org.junit.jupiter.api.Assertions.assertNotNull(o);
    }

    // --- revokeAll ---------------------------------------------------------------------------------------

    @Test
    void revokeAllEndsEveryActiveTokenOfTheUserAndNoOtherUsersToken() {
        IssuedToken first = issue(ALICE);
        IssuedToken second = issue(ALICE);
        IssuedToken bobs = issue(BOB);
        Actor admin = new Actor("alice", "root", null, "192.0.2.7");

        List<TokenInfo> revoked = service.revokeAll(admin, "user disabled");

        assertEquals(List.of(first.info().id(), second.info().id()), revoked.stream().map(TokenInfo::id).toList());
        assertTrue(authenticate(first.plaintext()).isEmpty());
        assertTrue(authenticate(second.plaintext()).isEmpty());
        assertTrue(authenticate(bobs.plaintext()).isPresent(), "bob's token should remain");
        List<AuditEvent> events = store.events.subList(store.events.size() - 2, store.events.size());
        for (AuditEvent e : events) {
            assertEquals(AuditType.TOKEN_REVOKED, e.type());
            assertEquals("alice", e.user());
            assertEquals("root", e.actingUser());
            assertEquals("user disabled", e.detail());
        }
        assertEquals(List.of(), service.revokeAll(admin, "user disabled"), "nothing left to revoke");
    }
}
