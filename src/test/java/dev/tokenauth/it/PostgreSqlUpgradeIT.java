package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import dev.tokenauth.persistence.OldRows;
import dev.tokenauth.persistence.PostgreSqlFixtures;

/**
 * Every schema that main has shipped on PostgreSQL, upgraded by the deployed WAR with every row intact: each fixture
 * of src/test/resources/schemas/postgresql (fresh V5 to V7, and the forms with Payara's 32-bit SERIAL ids) is made
 * in a database of its own and filled by {@link OldRows} as its version wrote, its TIMESTAMPs in the zone of the old
 * server. Two stock Tomcats, their JVMs in two other zones, then start at once with the WAR deployed once per
 * database and {@code tokenauth.upgrade.timezone} naming the old zone: each migration must run once, whichever
 * server runs it, every value must be kept, and every token must work or be refused over HTTP as before.
 */
@Tag("nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgreSqlUpgradeIT {

    /** A database of one old schema: its context path, its fixture and the zone its server wrote in. */
    private record Old(String path, String fixture, String writtenIn, int version) {
        String database() {
            return "tokenauth_upgrade_" + path;
        }
    }

    private static final List<Old> OLD = List.of(
            new Old("v5", "V5__owner_index_renamed.sql", "America/New_York", 5),
            new Old("v5p", "upgraded/V5__owner_index_renamed_payara_serial_ids.sql", "Asia/Kolkata", 5),
            new Old("v6", "V6__epoch_milliseconds.sql", "America/New_York", 6),
            new Old("v6p", "upgraded/V6__epoch_milliseconds_payara_serial_ids.sql", "UTC", 6),
            new Old("v7", "V7__scopes.sql", "Asia/Kolkata", 7),
            new Old("v7p", "upgraded/V7__scopes_payara_serial_ids.sql", "America/New_York", 7),
            new Old("v8", "V8__one_owner_index_name.sql", "UTC", 8),
            new Old("v9", "V9__refusal_counts_owner_counters.sql", "America/New_York", 9),
            new Old("v10", "V10__rotation_families_revocations_addresses.sql", "Asia/Kolkata", 10),
            new Old("v12", "V12__webhook_outbox_expiry_warnings.sql", "UTC", 12));

    /** Every migration, in order: a database from V8 on has the history of those up to its version. */
    private static final int[] MIGRATIONS = {1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13};

    private static final Map<Old, OldRows> ROWS = new LinkedHashMap<>();
    private static TomcatNode a;
    private static TomcatNode b;

    @BeforeAll
    static void makeTheOldDatabasesThenStartTwoServersOnThemAtOnce() throws SQLException {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        TimeZone zone = TimeZone.getDefault();
        try (Connection admin = SeveralNodesIT.database("postgres"); Statement sql = admin.createStatement()) {
            for (Old old : OLD) {
                sql.execute("DROP DATABASE IF EXISTS " + old.database());
                sql.execute("CREATE DATABASE " + old.database());
                PostgreSqlFixtures.makeAsShipped(SeveralNodesIT.jdbcUrl(old.database()), "tokenauth",
                        System.getProperty("tokenauth.it.postgresqlPassword"), old.fixture());
                try (Connection db = SeveralNodesIT.database(old.database())) {
                    TimeZone.setDefault(TimeZone.getTimeZone(old.writtenIn()));
                    ROWS.put(old, OldRows.writeInto(db, now));
                } finally {
                    TimeZone.setDefault(zone);
                }
            }
        }
        a = node("upgradeA", 18780, "Asia/Kolkata");
        b = node("upgradeB", 18790, "America/Los_Angeles");
        a.start();
        b.start();
        CompletableFuture<?> readyA = CompletableFuture.runAsync(() -> OLD.forEach(o -> a.awaitReady(o.path() + "/")));
        CompletableFuture<?> readyB = CompletableFuture.runAsync(() -> OLD.forEach(o -> b.awaitReady(o.path() + "/")));
        readyA.join();
        readyB.join();
    }

    private static TomcatNode node(String name, int httpPort, String jvmZone) {
        TomcatNode node = new TomcatNode(name, httpPort, TomcatNode.repoFile("src/test/tomcat/conf/server.xml"), null)
                .withoutRoot()
                .property("user.timezone", jvmZone)
                .property("tokenauth.it.httpPort", Integer.toString(httpPort))
                .property("tokenauth.it.httpsPort", Integer.toString(httpPort + 1))
                .property("tokenauth.it.keystore", System.getProperty("tokenauth.it.keystore"))
                .property("tokenauth.it.keystorePassword", System.getProperty("tokenauth.it.keystorePassword"))
                .property("tokenauth.throttle.token.address", "0");
        for (Old old : OLD) {
            node.deploy(old.path(), "<Context>\n"
                    + "  <Resource name=\"jdbc/tokenauth\" auth=\"Container\" type=\"javax.sql.DataSource\""
                    + " driverClassName=\"org.postgresql.Driver\" url=\"" + SeveralNodesIT.jdbcUrl(old.database())
                    + "\" username=\"tokenauth\" password=\"" + System.getProperty("tokenauth.it.postgresqlPassword")
                    + "\" maxTotal=\"4\" maxWaitMillis=\"2000\"/>\n"
                    + "  <Parameter name=\"tokenauth.upgrade.timezone\" value=\"" + old.writtenIn() + "\""
                    + " override=\"false\"/>\n"
                    + "</Context>\n");
        }
        return node;
    }

    @AfterAll
    static void stopBoth() {
        Stream.of(a, b).filter(n -> n != null).forEach(TomcatNode::stop);
    }

    @Test
    @Order(1)
    void eachMigrationRanOnceOnEveryDatabaseThoughTwoServersStartedOnItAtOnceAndEachSaidSoInOneLine()
            throws SQLException {
        int expectedLines = 0;
        for (Old old : OLD) {
            // Up to V7 a baseline at its version; from V8 on, the history the version made.
            List<String> expected = new ArrayList<>(List.of(Integer.toString(old.version())));
            if (old.version() >= 8) {
                expected = new ArrayList<>(java.util.Arrays.stream(MIGRATIONS).filter(v -> v <= old.version())
                        .mapToObj(Integer::toString).toList());
            }
            for (int v : MIGRATIONS) {
                if (v > old.version() && v > 5) {
                    expected.add(Integer.toString(v));
                    expectedLines++;
                }
            }
            assertEquals(expected, history(old.database()), old.path() + ": the baseline, then each migration once");
        }
        List<String> lines = new ArrayList<>(a.logLines(0, l -> l.contains("Schema migration ")));
        lines.addAll(b.logLines(0, l -> l.contains("Schema migration ")));
        assertEquals(expectedLines, lines.size(), "one line per migration applied, by whichever server applied it");
        List<String> warnings = new ArrayList<>(a.logLines(0, PostgreSqlUpgradeIT::isWarningOrWorse));
        warnings.addAll(b.logLines(0, PostgreSqlUpgradeIT::isWarningOrWorse));
        assertEquals(List.of(), warnings);
    }

    private static boolean isWarningOrWorse(String line) {
        return line.contains("WARNING") || line.contains("SEVERE") || line.startsWith("\tat ");
    }

    @Test
    @Order(2)
    void everyRowAndValueIsKeptAndTheIdsOfPayarasTablesAre64Bit() throws SQLException {
        for (Old old : OLD) {
            try (Connection db = SeveralNodesIT.database(old.database())) {
                assertEquals(List.of(), ROWS.get(old).differencesIn(db), old.path());
                for (String table : List.of("ta_token", "ta_audit")) {
                    // pgjdbc names a BIGINT with a sequence's default bigserial.
                    assertTrue(Set.of("int8", "bigserial").contains(columnType(db, table, "id")),
                            old.path() + ": " + table + ".id is " + columnType(db, table, "id"));
                }
            }
        }
    }

    /** Last: its requests write last uses, audit events and a token. */
    @Test
    @Order(3)
    void everyTokenWorksOrIsRefusedOverHttpAsBeforeAndANewTokenTakesTheNextId() throws SQLException {
        for (Old old : OLD) {
            Api api = Api.client(a.url(old.path()));
            for (OldRows.OldToken token : ROWS.get(old).tokens()) {
                assertEquals(token.works() ? 200 : 401, api.get("api/whoami", Api.auth(token.plaintext())).status(),
                        old.path() + ": the " + token.kind() + " token");
            }
            OldRows.OldToken lasting = ROWS.get(old).tokens().get(0);
            Api other = Api.client(b.url(old.path()));
            String made = other.createToken(lasting.plaintext());
            assertEquals(200, api.get("api/whoami", Api.auth(made)).status());
            long largestOld = ROWS.get(old).tokens().stream().mapToLong(OldRows.OldToken::id).max().orElseThrow();
            try (Connection db = SeveralNodesIT.database(old.database()); Statement sql = db.createStatement();
                    ResultSet newest = sql.executeQuery("SELECT MAX(id) FROM ta_token")) {
                newest.next();
                assertTrue(newest.getLong(1) > largestOld, old.path() + ": the new token's id is above the old ones");
            }
        }
    }

    private static List<String> history(String database) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection db = SeveralNodesIT.database(database); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT version FROM tokenauth_schema_history WHERE success"
                        + " ORDER BY installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static String columnType(Connection db, String table, String column) throws SQLException {
        try (ResultSet c = db.getMetaData().getColumns(null, null, table, column)) {
            return c.next() ? c.getString("TYPE_NAME") : null;
        }
    }
}
