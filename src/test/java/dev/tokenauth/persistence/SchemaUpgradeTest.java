package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.MutableClock;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenServiceFixture;
import jakarta.persistence.EntityManagerFactory;

/**
 * Every schema that main has shipped, on embedded Derby, upgraded by this version with every row intact: each
 * fixture of src/test/resources/schemas/derby is made, filled by {@link OldRows} as its version wrote (its
 * TIMESTAMPs in the zone its server ran in), then migrated by a JVM in another zone with
 * {@code tokenauth.upgrade.timezone} naming the old one. Every value must be the same, every token must work or be
 * refused as before, and the schema must be the one a fresh database gets.
 */
class SchemaUpgradeTest {

    private static final Path DERBY = SchemaFixture.directory("schemas/derby");
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    /** The zone the old server wrote in, and the zone of the JVM that upgrades: never the same. */
    private static final List<String[]> ZONES = List.of(
            new String[] {"America/New_York", "UTC"},
            new String[] {"Asia/Kolkata", "America/New_York"},
            new String[] {"UTC", "Asia/Kolkata"});

    private final TimeZone zoneBefore = TimeZone.getDefault();
    private final List<String> urls = new ArrayList<>();
    private final List<EntityManagerFactory> factories = new ArrayList<>();

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @AfterEach
    void restoreTheZoneAndDropTheDatabases() {
        TimeZone.setDefault(zoneBefore);
        factories.forEach(EntityManagerFactory::close);
        urls.forEach(InMemoryDerby::drop);
    }

    static Stream<Arguments> fixturesAndZones() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String fixture : fixtures().toList()) {
            // Zones matter where times are stored without one: up to V5. From V6 one pair shows they do not.
            // (The test once named V6 and V7 alone, and so ran V8 and later in every pair too.)
            boolean zoneLess = versionOf(fixture) < 6;
            for (String[] zones : zoneLess ? ZONES : ZONES.subList(0, 1)) {
                cases.add(Arguments.of(fixture, zones[0], zones[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, written in {1}, upgraded in {2}")
    @MethodSource("fixturesAndZones")
    void everyRowAndValueOfAnEarlierSchemaSurvivesTheUpgradeAndEveryTokenWorksOrIsRefusedAsBefore(String fixture,
            String writtenIn, String upgradedIn) throws SQLException {
        String url = newDatabase();
        OldRows.writtenIn(writtenIn);
        OldRows old;
        try (Connection db = DriverManager.getConnection(url + ";create=true")) {
            makeAsShipped(url, db, fixture);
            old = OldRows.writeInto(db, NOW);
        }

        TimeZone.setDefault(TimeZone.getTimeZone(upgradedIn));
        EntityManagerFactory factory = open(url, ZoneId.of(writtenIn));

        try (Connection db = DriverManager.getConnection(url)) {
            assertEquals(List.of(), old.differencesIn(db), fixture + ": values that the upgrade changed");
            assertEquals(schemaOfAFreshDatabase(), withoutColumnOrder(SchemaFixture.actual(db)),
                    fixture + ": the upgraded schema differs from a fresh one");
        }
        TokenService service = service(factory);
        for (OldRows.OldToken token : old.tokens()) {
            Optional<AuthenticatedToken> authenticated = service.authenticate(token.plaintext(), "192.0.2.9");
            assertEquals(token.works(), authenticated.isPresent(), fixture + ": the " + token.kind() + " token");
            authenticated.ifPresent(a -> assertEquals(token.owner(), a.owner()));
        }
        for (OldRows.OldToken token : old.tokens()) {
            Object scopes = token.values().get("SCOPES");
            if (token.works()) {
                Set<String> expected = scopes == null ? Set.of("read", "write")
                        : Set.of(((String) scopes).split(" "));
                assertEquals(expected, service.authenticate(token.plaintext(), "192.0.2.9").orElseThrow().scopes(),
                        fixture + ": the scopes of the " + token.kind() + " token (none stored: every scope)");
            }
        }
        long newId = service.issue(Actor.self("alice", null, "192.0.2.9"), null, null).info().id();
        assertTrue(old.tokens().stream().allMatch(t -> t.id() < newId), "a new token takes an id above the old ones");
    }

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.walk(DERBY)) {
            return files.filter(f -> f.toString().endsWith(".sql")).map(f -> DERBY.relativize(f).toString())
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aSecondStartAfterTheUpgradeChangesNothingEvenInAnotherZoneWithoutTheSetting(String fixture)
            throws SQLException {
        String writtenIn = "America/New_York";
        String upgradedIn = "UTC";
        String url = newDatabase();
        OldRows.writtenIn(writtenIn);
        OldRows old;
        try (Connection db = DriverManager.getConnection(url + ";create=true")) {
            makeAsShipped(url, db, fixture);
            old = OldRows.writeInto(db, NOW);
        }
        String version = InMemoryDerby.migrate(url, ZoneId.of(writtenIn));
        // Started again, in another zone and without the setting: nothing is left to migrate, so nothing moves.
        assertEquals(version, InMemoryDerby.migrate(url, ZoneId.of(upgradedIn)));
        try (Connection db = DriverManager.getConnection(url)) {
            assertEquals(List.of(), old.differencesIn(db));
        }
    }

    private String newDatabase() {
        String url = "jdbc:derby:memory:upgrade-" + UUID.randomUUID();
        urls.add(url);
        return url;
    }

    private EntityManagerFactory open(String url, ZoneId writtenIn) {
        EntityManagerFactory factory = InMemoryDerby.open(url, writtenIn);
        factories.add(factory);
        return factory;
    }

    private static TokenService service(EntityManagerFactory factory) {
        Transactions tx = InMemoryDerby.transactions(factory);
        return TokenServiceFixture.on(new JpaTokenStore(tx)).audit(new AuditTrail(new JpaAuditStore(tx)))
                .clock(new MutableClock(NOW)).build();
    }

    private static Map<String, SchemaFixture.Table> freshSchema;

    private synchronized Map<String, SchemaFixture.Table> schemaOfAFreshDatabase() throws SQLException {
        if (freshSchema == null) {
            String url = newDatabase();
            InMemoryDerby.migrate(url, ZoneId.of("UTC"));
            try (Connection db = DriverManager.getConnection(url)) {
                freshSchema = withoutColumnOrder(SchemaFixture.actual(db));
            }
        }
        return freshSchema;
    }

    /** Our tables, their columns in name order: create-or-extend added each column of a later version last. */
    static Map<String, SchemaFixture.Table> withoutColumnOrder(Map<String, SchemaFixture.Table> tables) {
        Map<String, SchemaFixture.Table> sorted = new TreeMap<>();
        tables.forEach((name, table) -> {
            if (name.startsWith("TA_")) {
                sorted.put(name, new SchemaFixture.Table(table.columns().stream()
                        .sorted(Comparator.comparing(SchemaFixture.Column::name)).toList(), table.primaryKey(),
                        table.indexes()));
            }
        });
        return sorted;
    }

    /** The version from which a schema has a migration history: its databases were made by the migrations. */
    static final int FIRST_WITH_HISTORY = 8;

    /** The version of the schema that a fixture records, from its name ({@code V<n>__...}). */
    static int versionOf(String fixture) {
        return Integer.parseInt(fixture.replaceAll("^(.*/)?V(\\d+)__.*$", "$2"));
    }

    /**
     * A database as the version that shipped {@code fixture}'s schema made it: from its DDL up to V7, by the
     * migrations of its day, history and all, from V8 on (the fixture's DDL, checked by {@link SchemaFixturesTest},
     * has no history table).
     */
    static void makeAsShipped(String url, Connection db, String fixture) throws SQLException {
        if (versionOf(fixture) >= FIRST_WITH_HISTORY) {
            InMemoryDerby.migrateTo(url, versionOf(fixture));
        } else {
            run(db, SchemaFixture.read(DERBY.resolve(fixture)).statements());
        }
    }

    static void run(Connection db, List<String> statements) throws SQLException {
        try (Statement ddl = db.createStatement()) {
            for (String statement : statements) {
                ddl.execute(statement);
            }
        }
    }
}
