package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/** The PostgreSQL schema fixtures (src/test/resources/schemas/postgresql), for the tests that run on a server. */
public final class PostgreSqlFixtures {

    private PostgreSqlFixtures() {
    }

    /**
     * Makes the empty database at {@code url} what the version that shipped {@code fixture}'s schema
     * made: its DDL up to V7, its migrations (history and all) from V8 on, as {@code SchemaUpgradeTest} does on
     * Derby.
     */
    public static void makeAsShipped(String url, String user, String password, String fixture) throws SQLException {
        Connections connect = () -> DriverManager.getConnection(url, user, password);
        int version = SchemaUpgradeTest.versionOf(fixture);
        if (version >= SchemaUpgradeTest.FIRST_WITH_HISTORY) {
            Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .configuration(SchemaMigrations.flyway(new ConnectionsDataSource(connect), false, 0,
                            java.time.ZoneId.of("UTC")).getConfiguration())
                    .target(MigrationVersion.fromVersion(Integer.toString(version)))
                    .load()
                    .migrate();
        } else {
            try (Connection db = connect.open()) {
                run(db, fixture);
            }
        }
    }

    /** Runs the statements of {@code fixture} (a path under schemas/postgresql) on {@code db}. */
    public static void run(Connection db, String fixture) throws SQLException {
        try (Statement ddl = db.createStatement()) {
            for (String statement : SchemaFixture.read(SchemaFixture.directory("schemas/postgresql").resolve(fixture))
                    .statements()) {
                ddl.execute(statement);
            }
        }
    }
}
