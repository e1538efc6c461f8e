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
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
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
import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenRuleViolation;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.ViolationKind;
import dev.tokenauth.user.User;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

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
        InMemoryDerby.migrate(url, ZoneId.systemDefault());
        factory = Persistence.createEntityManagerFactory(Database.PERSISTENCE_UNIT, Map.of(
                "jakarta.persistence.jdbc.url", url + ";create=true",
                "jakarta.persistence.jdbc.driver", "org.apache.derby.iapi.jdbc.AutoloadedDriver"));
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
}
