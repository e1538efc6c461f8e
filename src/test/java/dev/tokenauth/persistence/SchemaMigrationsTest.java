package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenauth.RecordedLogs;

/**
 * The migrations' own rules, on embedded Derby: a history of our own name beside an application's, one log line per
 * migration applied and none at a start with nothing to do, a database of a newer version refused unchanged, tables
 * no version left refused, and migrations applied once when several starts race.
 */
class SchemaMigrationsTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private final String url = "jdbc:derby:memory:migrations-" + UUID.randomUUID();

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @AfterEach
    void dropTheDatabase() {
        InMemoryDerby.drop(url);
    }

    @Test
    void anEmptyDatabaseGetsEveryMigrationInOurOwnHistoryTableWithOneLogLineEach() throws SQLException {
        List<String> lines;
        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(SchemaMigrations.class.getName()))) {
            assertEquals("13", InMemoryDerby.migrate(url, UTC));
            lines = logs.messages();
        }

        assertEquals(List.of(
                "Schema migration 1 (tokens and users) applied in",
                "Schema migration 2 (lifecycle owner locks audit) applied in",
                "Schema migration 3 (user disabled) applied in",
                "Schema migration 4 (password changed at) applied in",
                "Schema migration 6 (times as epoch milliseconds) applied in",
                "Schema migration 7 (scopes) applied in",
                "Schema migration 8 (one owner index name and 64-bit ids everywhere) applied in",
                "Schema migration 9 (refusal counts owner counters) applied in",
                "Schema migration 10 (rotation families revocations addresses) applied in",
                "Schema migration 11 (rotation families of earlier rotations) applied in",
                "Schema migration 12 (webhook outbox expiry warnings) applied in",
                "Schema migration 13 (shared throttle buckets) applied in"),
                lines.stream().map(l -> l.replaceAll(" \\d+ ms$", "")).toList());
        assertEquals(List.of("1", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12", "13"), history(SchemaMigrations.HISTORY_TABLE));
    }

    @Test
    void aStartWithNothingToMigrateWritesNoLogLine() {
        InMemoryDerby.migrate(url, UTC);
        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(SchemaMigrations.class.getName()))) {
            assertEquals("13", InMemoryDerby.migrate(url, UTC));
            assertEquals(List.of(), logs.messages());
        }
    }

    @Test
    void anApplicationsOwnFlywayHistoryAndTablesOnTheSameDatabaseAreLeftAloneAndOursIsApart() throws SQLException {
        try (Connection db = DriverManager.getConnection(url + ";create=true"); Statement sql = db.createStatement()) {
            // An adopting application's own Flyway, already at its version 3, with a table of its own.
            sql.execute("CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT NOT NULL PRIMARY KEY,"
                    + " \"version\" VARCHAR(50), \"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT NULL,"
                    + " \"script\" VARCHAR(1000) NOT NULL, \"checksum\" INT, \"installed_by\" VARCHAR(100) NOT NULL,"
                    + " \"installed_on\" TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL, \"execution_time\" INT NOT NULL,"
                    + " \"success\" BOOLEAN NOT NULL)");
            sql.execute("INSERT INTO \"flyway_schema_history\" VALUES (1, '3', 'orders', 'SQL', 'V3__orders.sql', 42,"
                    + " 'app', CURRENT_TIMESTAMP, 5, TRUE)");
            sql.execute("CREATE TABLE ORDERS (ID INT PRIMARY KEY, ITEM VARCHAR(20))");
            sql.execute("INSERT INTO ORDERS VALUES (1, 'tea')");
        }

        assertEquals("13", InMemoryDerby.migrate(url, UTC));

        assertEquals(List.of("3"), history("flyway_schema_history"));
        assertEquals(List.of("0", "1", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12", "13"), history(SchemaMigrations.HISTORY_TABLE),
                "ours starts from nothing (0: no tokenauth tables) though the schema is not empty");
        try (Connection db = DriverManager.getConnection(url); Statement sql = db.createStatement();
                ResultSet orders = sql.executeQuery("SELECT ITEM FROM ORDERS")) {
            assertTrue(orders.next());
            assertEquals("tea", orders.getString(1));
        }
    }

    @Test
    void aDatabaseThatANewerVersionMigratedIsRefusedNamingBothVersionsAndIsNotChanged() throws SQLException {
        InMemoryDerby.migrate(url, UTC);
        try (Connection db = DriverManager.getConnection(url); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO \"" + SchemaMigrations.HISTORY_TABLE + "\" VALUES (99, '99', 'webhook outbox',"
                    + " 'SQL', 'V99__webhook_outbox.sql', 7, 'app', CURRENT_TIMESTAMP, 3, TRUE)");
            sql.execute("CREATE TABLE TA_OUTBOX (ID BIGINT PRIMARY KEY)");
        }
        List<String> before = history(SchemaMigrations.HISTORY_TABLE);

        DatabaseRefused refused = assertThrows(DatabaseRefused.class, () -> InMemoryDerby.migrate(url, UTC));

        assertEquals("tokenauth will not start: the database's schema is at version 99 (webhook outbox), newer than"
                + " this version's 13. A newer tokenauth upgraded it: deploy that version (or a later one) again, or"
                + " restore the backup taken before the upgrade. Nothing was changed.", refused.getMessage());
        assertEquals(before, history(SchemaMigrations.HISTORY_TABLE));
    }

    @Test
    void aUserTableWithoutATokenTableIsRefusedAndNotChanged() throws SQLException {
        try (Connection db = DriverManager.getConnection(url + ";create=true"); Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE TA_USER (USERNAME VARCHAR(64) NOT NULL PRIMARY KEY)");
        }

        DatabaseRefused refused = assertThrows(DatabaseRefused.class, () -> InMemoryDerby.migrate(url, UTC));

        assertTrue(refused.getMessage().startsWith("tokenauth will not start: the database has the table TA_USER"
                + " without TA_TOKEN."), refused.getMessage());
        try (Connection db = DriverManager.getConnection(url)) {
            assertTrue(!SchemaInspection.hasTable(db, SchemaMigrations.HISTORY_TABLE), "no history was made");
        }
    }

    /**
     * Starts that race on one empty database apply each migration once, whichever looks first: Flyway's look for a
     * history and its baseline are not one step, so a start may find the history made by another in between.
     * Five rounds of four starts, each on a database of its own.
     */
    @Test
    void startsRacingOnOneEmptyDatabaseApplyEachMigrationOnce() throws Exception {
        ExecutorService starts = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                String db = url + "-" + round;
                DriverManager.getConnection(db + ";create=true").close();
                try {
                    List<Future<String>> versions = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        Callable<String> start = () -> InMemoryDerby.migrate(db, UTC);
                        versions.add(starts.submit(start));
                    }
                    for (Future<String> version : versions) {
                        assertEquals("13", version.get());
                    }
                    assertEquals(List.of("1", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12", "13"), history(db, SchemaMigrations.HISTORY_TABLE));
                } finally {
                    InMemoryDerby.drop(db);
                }
            }
        } finally {
            starts.shutdownNow();
        }
    }

    /** The versions a history table records, in order ("0": the baseline of a schema that had none of our tables). */
    private List<String> history(String table) throws SQLException {
        return history(url, table);
    }

    private static List<String> history(String database, String table) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(database); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT \"version\" FROM \"" + table + "\" WHERE \"success\" = TRUE"
                        + " ORDER BY \"installed_rank\"")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }
}
