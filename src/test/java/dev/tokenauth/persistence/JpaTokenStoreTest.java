package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.token.TokenServiceFixture;
import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.IssuedToken;
import dev.tokenauth.token.MutableClock;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenPolicy;
import dev.tokenauth.token.TokenQuery;
import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenRuleViolation;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.ViolationKind;
import dev.tokenauth.user.User;
import jakarta.persistence.EntityManagerFactory;

/** The token rules on the real store: EclipseLink's queries on an in-memory Derby, one database per test. */
class JpaTokenStoreTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");

    private String url;
    private EntityManagerFactory factory;
    private MutableClock clock;
    private TokenService service;

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @BeforeEach
    void openAnEmptyDatabase() {
        url = "jdbc:derby:memory:tokens-" + UUID.randomUUID();
        factory = InMemoryDerby.open(url);
        clock = new MutableClock(NOW);
        service = serviceWith(new TokenPolicy(null, null, Duration.ofDays(1), Duration.ofDays(7), 2,
                Duration.ofDays(30)));
    }

    @AfterEach
    void dropTheDatabase() {
        if (factory.isOpen()) {
            factory.close();
        }
        InMemoryDerby.drop(url);
    }

    private TokenService serviceWith(TokenPolicy policy) {
        return TokenServiceFixture.on(new JpaTokenStore(InMemoryDerby.transactions(factory))).policy(policy).clock(clock)
                .build();
    }

    private IssuedToken issue() {
        return service.issue(ALICE, null, null);
    }

    private ViolationKind refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(TokenRuleViolation.class, call).kind();
    }

    @Test
    void aFlushWritesLastUseSoThatAFreshServiceReadsItFromTheDatabase() {
        IssuedToken token = issue();
        clock.advance(Duration.ofMinutes(5));
        assertTrue(service.authenticate(token.plaintext(), "192.0.2.9").isPresent());

        service.flushLastUse();

        TokenService restarted = serviceWith(service.policy());
        assertEquals(NOW.plus(Duration.ofMinutes(5)), restarted.list("alice").get(0).lastUsedAt());
    }

    @Test
    void scopesAreStoredAndKeptThroughRotation() {
        IssuedToken readOnly = service.issue(ALICE, null, null, java.util.List.of("read"));

        TokenService restarted = serviceWith(service.policy());
        assertEquals(java.util.Set.of("read"), restarted.authenticate(readOnly.plaintext(), "192.0.2.9")
                .orElseThrow().scopes());
        assertEquals(java.util.Set.of("read"), restarted.rotate(ALICE, TokenService.refTo(readOnly.plaintext()), null,
                null, null).successor().info().scopes());
    }

    @Test
    void aTokenOfAnEarlierVersionWithoutScopesHasEveryScope() throws SQLException {
        IssuedToken token = issue();
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(1, c.createStatement().executeUpdate("UPDATE TA_TOKEN SET SCOPES = NULL"));
        }

        TokenService restarted = serviceWith(service.policy());
        assertEquals(java.util.Set.of("read", "write"), restarted.authenticate(token.plaintext(), "192.0.2.9")
                .orElseThrow().scopes());
        assertEquals(java.util.Set.of("read", "write"), restarted.list("alice").get(0).scopes());
    }

    @Test
    void withoutAFlushTheDatabaseHasNoLastUse() {
        IssuedToken token = issue();
        service.authenticate(token.plaintext(), "192.0.2.9");

        assertNull(serviceWith(service.policy()).list("alice").get(0).lastUsedAt());
    }

    @Test
    void theLimitCountsTokensInTheirGracePeriodAndARotationGoesOnePastItOnly() {
        IssuedToken a = issue();
        IssuedToken b = issue();
        assertEquals(ViolationKind.LIMIT_REACHED, refusal(this::issue));

        service.rotate(ALICE, new TokenRef.ById(a.info().id()), null, null, null);

        assertEquals(3, service.list("alice").size());
        // A rotation right after, with no creation in between that would count the owner's tokens exactly.
        assertEquals(ViolationKind.LIMIT_REACHED,
                refusal(() -> service.rotate(ALICE, new TokenRef.ById(b.info().id()), null, null, null)));
        assertEquals(ViolationKind.LIMIT_REACHED, refusal(this::issue));
        clock.advance(Duration.ofDays(1));
        service.rotate(ALICE, new TokenRef.ById(b.info().id()), null, null, null);
        assertEquals(3, service.list("alice").size());
    }

    /** The owner's bound of active tokens, as the database holds it (null: not known). */
    private Integer bound(String owner) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                var rs = c.createStatement().executeQuery(
                        "SELECT ACTIVE_TOKENS FROM TA_TOKEN_OWNER WHERE OWNER = '" + owner + "'")) {
            assertTrue(rs.next(), "the owner's row");
            int n = rs.getInt(1);
            return rs.wasNull() ? null : n;
        }
    }

    @Test
    void theOwnersBoundFollowsCreationsRevocationsAndRotationsAndTheLimitStaysExact() throws SQLException {
        IssuedToken a = issue();
        assertEquals(1, bound("alice"), "a new owner's row was counted (0), then one added");
        IssuedToken b = issue();
        assertEquals(2, bound("alice"));
        assertEquals(ViolationKind.LIMIT_REACHED, refusal(this::issue));
        assertEquals(2, bound("alice"), "counted at the limit: exact");

        service.revoke(ALICE, new TokenRef.ById(a.info().id()));
        assertEquals(1, bound("alice"));
        service.rotate(ALICE, new TokenRef.ById(b.info().id()), null, null, null);
        assertEquals(2, bound("alice"), "the successor counts, and its predecessor through its grace period");
        service.revoke(ALICE, new TokenRef.ById(b.info().id()));
        assertEquals(1, bound("alice"), "a rotated token in its grace period was counted: its revocation takes one off");
        issue();
        assertEquals(2, bound("alice"));
        assertEquals(ViolationKind.LIMIT_REACHED, refusal(this::issue));
        assertEquals(2, service.list("alice").size());
    }

    @Test
    void aCreationRefusedForARuleLeavesTheOwnersBoundAndTokensAsTheyWere() throws SQLException {
        IssuedToken readOnly = service.issue(ALICE, null, null, java.util.List.of("read"));
        assertEquals(1, bound("alice"));
        Actor byReadOnly = Actor.self("alice", readOnly.info().id(), "192.0.2.1");

        assertEquals(ViolationKind.FORBIDDEN, refusal(() -> service.issue(byReadOnly, null, null)));
        assertEquals(ViolationKind.INVALID, refusal(() -> service.issue(ALICE, null, "x".repeat(10_000))));

        assertEquals(1, bound("alice"), "the refused creations' counts were rolled back with them");
        assertEquals(1, service.list("alice").size());
        issue();
        assertEquals(2, bound("alice"));
        assertEquals(ViolationKind.LIMIT_REACHED, refusal(this::issue));
    }

    @Test
    void creationsOfOneOwnerOnManyThreadsStopExactlyAtTheLimit() throws Exception {
        service = serviceWith(new TokenPolicy(null, null, Duration.ofDays(1), Duration.ofDays(7), 10,
                Duration.ofDays(30)));
        issue();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.List<java.util.concurrent.Callable<String>> creations = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            creations.add(() -> {
                try {
                    issue();
                    return "created";
                } catch (TokenRuleViolation e) {
                    return e.kind().name();
                }
            });
        }
        java.util.List<String> outcomes = new java.util.ArrayList<>();
        try {
            for (java.util.concurrent.Future<String> f : pool.invokeAll(creations)) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(9, outcomes.stream().filter("created"::equals).count(), outcomes.toString());
        assertEquals(15, outcomes.stream().filter("LIMIT_REACHED"::equals).count(), outcomes.toString());
        assertEquals(10, service.list("alice").size());
        assertEquals(10, bound("alice"));
    }

    @Test
    void tokensThatExpiredStillCountInTheBoundButACountAtTheLimitFreesTheirPlaces() throws SQLException {
        service.issue(ALICE, Duration.ofHours(1), null);
        service.issue(ALICE, Duration.ofHours(1), null);
        assertEquals(2, bound("alice"));
        clock.advance(Duration.ofHours(2));

        issue();

        assertEquals(1, bound("alice"), "counted: the two expired tokens are not active; then one added");
        assertEquals(1, service.list("alice").size());
    }

    @Test
    void anOwnerOfAnEarlierVersionWithoutABoundIsCountedAtItsNextCreation() throws SQLException {
        issue();
        issue();
        try (Connection c = DriverManager.getConnection(url)) {
            assertEquals(1, c.createStatement().executeUpdate("UPDATE TA_TOKEN_OWNER SET ACTIVE_TOKENS = NULL"));
        }

        assertEquals(ViolationKind.LIMIT_REACHED, refusal(this::issue));
        assertEquals(2, bound("alice"));
    }

    @Test
    void aRotatedTokenIsAConflictForItsOwnerAndNotFoundForOthersAfterItsGraceEnded() {
        IssuedToken old = issue();
        TokenRef ref = new TokenRef.ById(old.info().id());
        service.rotate(ALICE, ref, Duration.ZERO, null, null);

        assertEquals(ViolationKind.CONFLICT, refusal(() -> service.rotate(ALICE, ref, null, null, null)));
        assertEquals(ViolationKind.NOT_FOUND,
                refusal(() -> service.rotate(Actor.self("bob", null, "192.0.2.2"), ref, null, null, null)));
        assertFalse(service.authenticate(old.plaintext(), "192.0.2.9").isPresent());
    }

    @Test
    void purgeDeletesOnlyRowsEndedLongerAgoThanTheRetention() {
        IssuedToken revoked = issue();
        IssuedToken kept = issue();
        service.revoke(ALICE, new TokenRef.ById(revoked.info().id()));
        clock.advance(Duration.ofDays(30));
        assertEquals(0, service.purge(), "ended exactly the retention ago: kept");

        clock.advance(Duration.ofSeconds(1));

        assertEquals(1, service.purge());
        List<TokenInfo> left = service.list("alice");
        assertEquals(List.of(kept.info().id()), left.stream().map(TokenInfo::id).toList());
    }

    @Test
    void theLookupReadsTheOwnersDisabledFlagFromTheUsersTable() {
        JpaUserStore users = new JpaUserStore(InMemoryDerby.transactions(factory), clock);
        users.insert(new User("alice", "hash", false, false, NOW, NOW));
        IssuedToken alices = issue();
        IssuedToken realmUsers = service.issue(Actor.self("carol", null, "192.0.2.3"), null, null);

        assertTrue(service.authenticate(alices.plaintext(), "192.0.2.9").isPresent());
        users.setDisabled("alice", true);

        assertFalse(service.authenticate(alices.plaintext(), "192.0.2.9").isPresent());
        assertTrue(service.authenticate(realmUsers.plaintext(), "192.0.2.9").isPresent(),
                "an owner this application does not store (a realm user) is never disabled");
    }

    @Test
    void aClosedDatabaseFailsClosedWithStoreUnavailable() {
        IssuedToken token = issue();
        factory.close();

        assertThrows(StoreUnavailableException.class, () -> service.authenticate(token.plaintext(), "192.0.2.9"));
        assertThrows(StoreUnavailableException.class, this::issue);
    }

    // --- issue 24: families, addresses, lifetime caps and the inventory, on the real queries --------------

    private TokenService roomy(Duration maxLifetime) {
        return serviceWith(new TokenPolicy(null, maxLifetime, Duration.ofDays(1), Duration.ofDays(7), 100,
                Duration.ofDays(30), dev.tokenauth.token.Scopes.defaults(), 5));
    }

    @Test
    void aDetectedReuseRevokesTheFamilyThroughTheStoresQueriesAndKeepsWhy() {
        service = roomy(null);
        IssuedToken first = issue();
        IssuedToken second = service.rotate(ALICE, new TokenRef.ById(first.info().id()), Duration.ZERO, null, null)
                .successor();
        IssuedToken third = service.rotate(ALICE, new TokenRef.ById(second.info().id()), Duration.ofHours(1), null,
                null).successor();
        IssuedToken other = issue();
        clock.advance(Duration.ofSeconds(1));

        assertTrue(service.authenticate(first.plaintext(), "203.0.113.9", true).isEmpty());

        TokenService restarted = roomy(null);
        assertEquals(List.of(other.info().id()), restarted.list("alice").stream().map(TokenInfo::id).toList());
        List<TokenInfo> revoked = restarted.listRevoked("alice", 20);
        assertEquals(List.of(third.info().id(), second.info().id()), revoked.stream().map(TokenInfo::id).toList(),
                "the latest revocation first (same time: the higher id)");
        assertTrue(revoked.get(0).revokeReason().startsWith("reuse of the replaced token " + first.info().id()));
        assertEquals(second.info().id(), revoked.get(0).rotatedFromId());
        assertEquals(first.info().id(), revoked.get(0).familyId());
    }

    @Test
    void addressesAreWrittenTrimmedToTheFiveNewestAndPurgedWithTheirToken() {
        service = roomy(null);
        IssuedToken token = issue();
        for (int i = 1; i <= 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            service.authenticate(token.plaintext(), "192.0.2." + i);
        }
        service.flushLastUse();
        for (int i = 5; i <= 7; i++) {
            clock.advance(Duration.ofSeconds(1));
            service.authenticate(token.plaintext(), "192.0.2." + i);
        }
        service.flushLastUse();

        List<TokenInfo.UsedFrom> stored = roomy(null).list("alice").get(0).usedFrom();
        assertEquals(List.of("192.0.2.7", "192.0.2.6", "192.0.2.5", "192.0.2.4", "192.0.2.3"),
                stored.stream().map(TokenInfo.UsedFrom::address).toList());
        assertEquals(NOW.plusSeconds(7), stored.get(0).at());
        assertEquals(5L, count("SELECT COUNT(*) FROM TA_TOKEN_ADDRESS"));

        service.revoke(ALICE, new TokenRef.ById(token.info().id()));
        clock.advance(Duration.ofDays(31));
        assertEquals(1, service.purge());
        assertEquals(0L, count("SELECT COUNT(*) FROM TA_TOKEN_ADDRESS"), "an address goes with its token");
    }

    @Test
    void capLifetimesGivesEachTokenThatWouldOutliveTheMaximumItsCreationPlusTheMaximum() throws SQLException {
        service = roomy(null);
        IssuedToken forever = issue();
        IssuedToken year = service.issue(ALICE, Duration.ofDays(365), null);
        IssuedToken day = service.issue(ALICE, Duration.ofDays(1), null);
        JpaTokenStore store = new JpaTokenStore(InMemoryDerby.transactions(factory));

        assertEquals(2, store.capLifetimes(Duration.ofDays(30)));
        assertEquals(0, store.capLifetimes(Duration.ofDays(30)), "done once");

        assertEquals(NOW.plus(Duration.ofDays(30)), store.find("alice", forever.info().id()).orElseThrow().expiresAt());
        assertEquals(NOW.plus(Duration.ofDays(30)), store.find("alice", year.info().id()).orElseThrow().expiresAt());
        assertEquals(NOW.plus(Duration.ofDays(1)), store.find("alice", day.info().id()).orElseThrow().expiresAt());
    }

    @Test
    void theInventoryFiltersAreExactAtTheirBoundsAndPagesStayStableWhileTokensAreMade() {
        service = roomy(null);
        Actor bob = Actor.self("bob", null, "192.0.2.2");
        IssuedToken expiresInSeven = service.issue(ALICE, Duration.ofDays(7), null);
        service.issue(ALICE, Duration.ofDays(7).plusMillis(1), null);
        IssuedToken bobsReadOnly = service.issue(bob, null, null, List.of("read"));
        IssuedToken used = service.issue(bob, null, null);
        clock.advance(Duration.ofDays(90));
        service.authenticate(used.plaintext(), "192.0.2.3");
        clock.advance(Duration.ofDays(1));
        IssuedToken fresh = service.issue(bob, null, null);
        Instant now = clock.instant();
        Instant dayAgo = now.minus(Duration.ofDays(1));

        assertEquals(List.of(expiresInSeven.info().id()), ids(service.inventory(new TokenQuery(NOW, null,
                NOW.plus(Duration.ofDays(7)), null, false, null, 0, 10))), "as seen at the start: expiring at the bound"
                + " counts, a millisecond later does not");
        assertEquals(List.of(), ids(query(now, null, now.plus(Duration.ofDays(7)), null, false, null)),
                "the two seven-day tokens have ended since: the inventory holds active tokens only");
        assertEquals(List.of(bobsReadOnly.info().id(), fresh.info().id()),
                ids(query(now, "bob", null, null, true, null)), "never used");
        assertEquals(List.of(bobsReadOnly.info().id(), used.info().id()),
                ids(query(now, "bob", null, dayAgo, false, null)), "last used exactly at the bound counts as unused");
        assertEquals(List.of(bobsReadOnly.info().id()), ids(query(now, "bob", null, dayAgo.minusMillis(1), false,
                null)), "used a millisecond after the bound is not; never used and made before it is");
        assertEquals(List.of(), ids(query(now, "alice", null, null, false, null)), "owner: alice has none active");
        assertEquals(List.of(used.info().id(), fresh.info().id()), ids(query(now, null, null, null, false, "write")),
                "scope write: not the read-only token");
        assertEquals(List.of(bobsReadOnly.info().id(), used.info().id(), fresh.info().id()),
                ids(query(now, null, null, null, false, "read")));

        List<TokenInfo> page1 = service.inventory(new TokenQuery(now, null, null, null, false, null, 0, 2));
        IssuedToken madeMeanwhile = service.issue(ALICE, null, null);
        List<TokenInfo> page2 = service.inventory(new TokenQuery(now, null, null, null, false, null,
                page1.get(1).id(), 2));
        List<TokenInfo> page3 = service.inventory(new TokenQuery(now, null, null, null, false, null,
                page2.get(page2.size() - 1).id(), 2));
        assertEquals(List.of(bobsReadOnly.info().id(), used.info().id()), ids(page1));
        assertEquals(List.of(fresh.info().id(), madeMeanwhile.info().id()), ids(page2), "the new one comes last");
        assertEquals(List.of(), ids(page3));
    }

    private List<TokenInfo> query(Instant now, String owner, Instant expiringBy, Instant unusedSince,
            boolean neverUsed, String scope) {
        return service.inventory(new TokenQuery(now, owner, expiringBy, unusedSince, neverUsed, scope, 0, 100));
    }

    private static List<Long> ids(List<TokenInfo> tokens) {
        return tokens.stream().map(TokenInfo::id).toList();
    }

    private long count(String sql) {
        try (Connection db = DriverManager.getConnection(url);
                java.sql.ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
