package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.token.TokenServiceFixture;
import dev.tokenauth.RecordedLogs;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.MutableClock;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserService;
import jakarta.persistence.EntityManagerFactory;

/**
 * Names stored with surrounding spaces by an earlier version (which Derby matched to the name without them) are
 * renamed at start, or stop the start when two would become one.
 */
class CanonicalUsernamesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final String url = "jdbc:derby:memory:names-" + UUID.randomUUID();
    private EntityManagerFactory factory;
    private UserService users;
    private TokenService tokens;

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @BeforeEach
    void openAnEmptyDatabase() {
        factory = InMemoryDerby.open(url);
        factory.createEntityManager().close();
        startServices();
    }

    private void startServices() {
        Transactions tx = InMemoryDerby.transactions(factory);
        users = new UserService(new JpaUserStore(tx, new MutableClock(NOW)),
                new PasswordHasher(1000, new SecureRandom()));
        tokens = TokenServiceFixture.on(new JpaTokenStore(tx)).audit(new AuditTrail(new JpaAuditStore(tx)))
                .clock(new MutableClock(NOW)).build();
    }

    @AfterEach
    void dropTheDatabase() {
        if (factory.isOpen()) {
            factory.close();
        }
        InMemoryDerby.drop(url);
    }

    /** Stores {@code name} as an earlier version could have: the user, their tokens and lock row under it. */
    private void renameInTheDatabase(String from, String to) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String[] column : new String[][] {{"TA_USER", "USERNAME"}, {"TA_TOKEN", "OWNER"},
                    {"TA_TOKEN_OWNER", "OWNER"}}) {
                s.executeUpdate("UPDATE " + column[0] + " SET " + column[1] + " = '" + to + "' WHERE " + column[1]
                        + " = '" + from + "' AND LENGTH(" + column[1] + ") = " + from.length());
            }
            // So that the fixture's indexes hold the padded name as a database written so would.
            for (String table : new String[] {"TA_USER", "TA_TOKEN", "TA_TOKEN_OWNER"}) {
                s.execute("CALL SYSCS_UTIL.SYSCS_COMPRESS_TABLE(CURRENT SCHEMA, '" + table + "', 1)");
            }
        }
    }

    private List<String> column(String table, String column) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT " + column + " FROM " + table + " ORDER BY " + column)) {
            while (rows.next()) {
                values.add("[" + rows.getString(1) + "]");
            }
        }
        return values;
    }

    @Test
    void aNameWithSurroundingSpacesBecomesTheNameWithoutThemWithItsTokensAndIsLoggedOnce() throws Exception {
        users.create("carol", "carol-password", false);
        String token = tokens.issue(Actor.self("carol", null, "192.0.2.1"), null, null).plaintext();
        users.create("dave", "dave-password", false);
        renameInTheDatabase("carol", "carol  ");
        assertEquals("carol  ", users.find("carol").map(User::username).orElseThrow(), "the fixture holds the old name");

        int renamed;
        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(CanonicalUsernames.class.getName()))) {
            renamed = CanonicalUsernames.migrate(InMemoryDerby.transactions(factory));
            assertEquals(List.of("Took the surrounding spaces off 1 stored user name(s): 'carol  ' is now 'carol' "
                    + "(users, token owners; the audit trail keeps the names as they were written)"),
                    logs.records().stream().map(LogRecord::getMessage).toList());
        }

        assertEquals(1, renamed);
        assertEquals(List.of("[carol]", "[dave]"), column("TA_USER", "USERNAME"));
        assertEquals(List.of("[carol]"), column("TA_TOKEN", "OWNER"));
        assertEquals(List.of("[carol]"), column("TA_TOKEN_OWNER", "OWNER"));
        factory.getCache().evictAll();
        startServices();
        // Read through the key's index, which Derby rebuilt: it holds the new name too.
        assertEquals("carol", users.find("carol").map(User::username).orElseThrow());
        assertEquals("carol", users.authenticate("carol", "carol-password").orElseThrow());
        assertEquals("carol", tokens.authenticate(token, "192.0.2.1").orElseThrow().owner());
        assertEquals(1, tokens.list("carol").size());
    }

    @Test
    void aSecondStartFindsNothingToDo() throws Exception {
        users.create("carol", "carol-password", false);
        renameInTheDatabase("carol", " carol");
        assertEquals(1, CanonicalUsernames.migrate(InMemoryDerby.transactions(factory)));

        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(CanonicalUsernames.class.getName()))) {
            assertEquals(0, CanonicalUsernames.migrate(InMemoryDerby.transactions(factory)));
            assertEquals(List.of(), logs.records());
        }
    }

    @Test
    void twoTokenOwnersThatWouldBecomeOneStopTheStartNamingBothAndNothingChanges() throws Exception {
        tokens.issue(Actor.self("bob", null, "192.0.2.1"), null, null);
        tokens.issue(Actor.self("erin", null, "192.0.2.1"), null, null);
        // Derby's key on the lock rows cannot hold both names; the tokens' owner column can.
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE TA_TOKEN SET OWNER = 'bob ' WHERE OWNER = 'erin'");
        }

        CanonicalUsernames.CollidingNames refused = assertThrows(CanonicalUsernames.CollidingNames.class,
                () -> CanonicalUsernames.migrate(InMemoryDerby.transactions(factory)));

        assertTrue(refused.getMessage().contains("'bob' and 'bob '"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("Nothing was changed."), refused.getMessage());
        assertEquals(List.of("[bob]", "[bob ]"), column("TA_TOKEN", "OWNER"));
    }

    @Test
    void aDatabaseWithoutSuchNamesIsLeftAsItIs() throws Exception {
        users.create("carol", "carol-password", false);
        tokens.issue(Actor.self("carol", null, "192.0.2.1"), null, null);

        assertEquals(0, CanonicalUsernames.migrate(InMemoryDerby.transactions(factory)));
        assertEquals(List.of("[carol]"), column("TA_USER", "USERNAME"));
    }
}
