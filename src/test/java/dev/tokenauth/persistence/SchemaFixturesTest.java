package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/**
 * The schemas that earlier versions shipped, kept as fixtures for the upgrade tests (src/test/resources/schemas):
 * each Derby fixture is valid Derby DDL and makes exactly what it declares, the newest is what the migrations make
 * and what the entities map, and each PostgreSQL fixture declares the same tables as the Derby one of its version.
 */
class SchemaFixturesTest {

    private static final Path DERBY = SchemaFixture.directory("schemas/derby");
    private static final Path POSTGRESQL = SchemaFixture.directory("schemas/postgresql");
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    static Stream<String> derbyFixtures() throws IOException {
        try (Stream<Path> files = Files.walk(DERBY)) {
            return files.filter(f -> f.toString().endsWith(".sql")).map(f -> DERBY.relativize(f).toString())
                    .sorted().toList().stream();
        }
    }

    /** The fresh PostgreSQL fixtures (not the upgraded forms, whose column order and id types are their own). */
    static Stream<String> postgreSqlFixtures() throws IOException {
        try (Stream<Path> files = Files.list(POSTGRESQL)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> VERSION.matcher(n).matches())
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("derbyFixtures")
    void aDerbyFixtureRunsOnDerbyAndMakesExactlyTheTablesColumnsKeysAndIndexesItDeclares(String fixture)
            throws SQLException {
        SchemaFixture schema = SchemaFixture.read(DERBY.resolve(fixture));
        Map<String, SchemaFixture.Table> declared = schema.declared();
        assertFalse(declared.isEmpty(), fixture + " declares no table");

        assertEquals(declared, madeBy(schema.statements()), fixture + ": the database it made differs from its DDL");
    }

    @Test
    void theNewestDerbyFixtureIsTheSchemaThatTheMigrationsMakeOnAnEmptyDatabase() throws SQLException {
        String newest = newest(DERBY);
        String url = "jdbc:derby:memory:migrated-" + UUID.randomUUID();
        Map<String, SchemaFixture.Table> made;
        try {
            InMemoryDerby.migrate(url, ZoneId.of("UTC"));
            try (Connection db = DriverManager.getConnection(url)) {
                made = ours(SchemaFixture.actual(db));
            }
        } finally {
            InMemoryDerby.drop(url);
        }

        assertEquals(SchemaFixture.read(DERBY.resolve(newest)).declared(), made, "The migrations make a schema that "
                + newest + " does not record: a changed schema is a new fixture (see schemas/README.md)");
    }

    /** The upgrade tests make these databases with the migrations up to their version; that is their schema. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixturesWithHistory")
    void everyFixtureWithAHistoryIsWhatTheMigrationsUpToItsVersionMake(String fixture) throws SQLException {
        String url = "jdbc:derby:memory:migrated-" + UUID.randomUUID();
        Map<String, SchemaFixture.Table> made;
        try {
            InMemoryDerby.migrateTo(url, SchemaUpgradeTest.versionOf(fixture));
            try (Connection db = DriverManager.getConnection(url)) {
                made = ours(SchemaFixture.actual(db));
            }
        } finally {
            InMemoryDerby.drop(url);
        }

        assertEquals(SchemaFixture.read(DERBY.resolve(fixture)).declared(), made);
    }

    static Stream<String> fixturesWithHistory() throws IOException {
        return SchemaUpgradeTest.fixtures()
                .filter(f -> SchemaUpgradeTest.versionOf(f) >= SchemaUpgradeTest.FIRST_WITH_HISTORY);
    }

    /**
     * What the entities map is what the migrations make (up to column order): an entity changed without a migration
     * fails here, not on a user's database. The entities' DDL is EclipseLink's own, written as a script.
     */
    @Test
    void theEntitiesMapExactlyTheTablesColumnsAndIndexesOfTheNewestSchema(@TempDir Path dir) {
        Path script = dir.resolve("entities.sql");
        String url = "jdbc:derby:memory:entities-" + UUID.randomUUID();
        try {
            EntityManagerFactory factory = Persistence.createEntityManagerFactory(Database.PERSISTENCE_UNIT, Map.of(
                    "jakarta.persistence.jdbc.url", url + ";create=true",
                    "jakarta.persistence.jdbc.driver", "org.apache.derby.iapi.jdbc.AutoloadedDriver",
                    "eclipselink.session-name", "entities-" + UUID.randomUUID(),
                    "eclipselink.ddl-generation", "create-tables",
                    "eclipselink.ddl-generation.output-mode", "sql-script",
                    "eclipselink.application-location", dir.toString(),
                    "eclipselink.create-ddl-jdbc-file-name", "entities.sql",
                    "eclipselink.ddlgen-terminate-statements", "true"));
            factory.createEntityManager().close();
            factory.close();
        } finally {
            InMemoryDerby.drop(url);
        }
        Map<String, SchemaFixture.Table> entities = SchemaUpgradeTest.withoutColumnOrder(
                SchemaFixture.read(script).declared());

        assertEquals(SchemaUpgradeTest.withoutColumnOrder(SchemaFixture.read(DERBY.resolve(newest(DERBY))).declared()),
                entities);
    }

    /** The tokenauth tables, without Flyway's history. */
    private static Map<String, SchemaFixture.Table> ours(Map<String, SchemaFixture.Table> tables) {
        Map<String, SchemaFixture.Table> ours = new TreeMap<>(tables);
        ours.keySet().removeIf(name -> !name.startsWith("TA_"));
        return ours;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgreSqlFixtures")
    void aPostgreSqlFixtureDeclaresTheTablesColumnsKeysAndIndexesOfTheDerbyFixtureOfItsVersion(String fixture) {
        Map<String, SchemaFixture.Table> postgreSql = SchemaFixture.read(POSTGRESQL.resolve(fixture)).declared();
        Map<String, SchemaFixture.Table> derby = SchemaFixture.read(DERBY.resolve(fixture)).declared();

        assertEquals(asOnPostgreSql(derby), postgreSql, fixture + " differs from the Derby fixture of its version");
    }

    /**
     * The Derby declaration as PostgreSQLPlatform writes it: a Java boolean is a BOOLEAN without default there, a
     * SMALLINT DEFAULT 0 on Derby; a byte[] (@Lob) a BYTEA, a BLOB on Derby; every other type is written alike.
     */
    private static Map<String, SchemaFixture.Table> asOnPostgreSql(Map<String, SchemaFixture.Table> derby) {
        Map<String, SchemaFixture.Table> tables = new TreeMap<>();
        derby.forEach((name, table) -> tables.put(name, new SchemaFixture.Table(
                table.columns().stream().map(c -> c.type().equals("SMALLINT") && "0".equals(c.defaultValue())
                        ? new SchemaFixture.Column(c.name(), "BOOLEAN", c.nullable(), c.identity(), null)
                        : c.type().startsWith("BLOB") ? new SchemaFixture.Column(c.name(), "BYTEA", c.nullable(),
                                c.identity(), c.defaultValue())
                        : c).toList(),
                table.primaryKey(), table.indexes())));
        return tables;
    }

    private static Map<String, SchemaFixture.Table> madeBy(List<String> statements) throws SQLException {
        String url = "jdbc:derby:memory:fixture-" + UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(url + ";create=true")) {
            try (Statement ddl = db.createStatement()) {
                for (String statement : statements) {
                    ddl.execute(statement);
                }
            }
            return SchemaFixture.actual(db);
        } finally {
            InMemoryDerby.drop(url);
        }
    }

    private static String newest(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> VERSION.matcher(n).matches())
                    .max(Comparator.comparingInt(SchemaFixturesTest::version))
                    .orElseThrow(() -> new IllegalStateException("No fixture in " + directory));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int version(String fixture) {
        Matcher m = VERSION.matcher(fixture);
        if (!m.matches()) {
            throw new IllegalArgumentException(fixture);
        }
        return Integer.parseInt(m.group(1));
    }
}
