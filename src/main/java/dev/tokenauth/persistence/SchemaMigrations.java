package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database's schema to this version's, with Flyway, before EclipseLink opens it (EclipseLink creates
 * nothing). The migrations are {@code db/tokenauth/derby} or {@code db/tokenauth/standard} (PostgreSQL, and the SQL
 * of other servers) on the class path, and the Java ones named in {@link #flyway}: one per schema that main has
 * shipped, so that each database takes exactly the steps it lacks.
 * <ul>
 * <li>The history is {@value #HISTORY_TABLE}, so that an application's own Flyway or Liquibase on the same
 * database never meets ours.</li>
 * <li>A database of a version before the history (1 to 7) is recognised by its columns ({@link LegacySchema}) and
 * taken as that version.</li>
 * <li>Servers that start at once on one database apply each migration once: Flyway locks the history (on
 * PostgreSQL with an advisory lock) and the second one finds nothing left to do.</li>
 * <li>A database that a newer version upgraded is refused, unchanged ({@link DatabaseRefused}).</li>
 * </ul>
 */
final class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());
    static final String HISTORY_TABLE = "tokenauth_schema_history";

    private SchemaMigrations() {
    }

    /**
     * Migrates the database behind {@code dataSource}.
     *
     * @param writtenIn the zone in which versions before 6 wrote their times
     * @return the schema's version now
     */
    static String migrate(DataSource dataSource, ZoneId writtenIn) {
        for (int attempt = 1;; attempt++) {
            boolean derby;
            boolean history;
            int legacyVersion;
            try (Connection connection = dataSource.getConnection()) {
                derby = connection.getMetaData().getDatabaseProductName().contains("Derby");
                history = SchemaInspection.hasTable(connection, HISTORY_TABLE);
                legacyVersion = history ? 0 : LegacySchema.version(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not read the database's schema: " + e.getMessage(), e);
            }
            try {
                return migrate(flyway(dataSource, derby, legacyVersion, writtenIn));
            } catch (FlywayException e) {
                // Flyway's look for a history and its baseline are not one step: a server that starts at the same
                // time may make the history in between, and this start's baseline then fails. Look again: the
                // history is there now, and only what is left is applied.
                if (history || attempt == 3 || !historyNow(dataSource)) {
                    throw e;
                }
            }
        }
    }

    private static boolean historyNow(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return SchemaInspection.hasTable(connection, HISTORY_TABLE);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String migrate(Flyway flyway) {
        refuseANewerSchema(flyway);
        MigrateResult result = flyway.migrate();
        for (MigrateOutput applied : result.migrations) {
            LOG.info(() -> "Schema migration " + applied.version + " (" + applied.description + ") applied in "
                    + applied.executionTime + " ms");
        }
        // Read again, not taken from the result: a start that found another start's migrations done reports the
        // version it saw before the lock, not the one the database has now.
        MigrationInfo current = flyway.info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    static Flyway flyway(DataSource dataSource, boolean derby, int legacyVersion, ZoneId writtenIn) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations("classpath:db/tokenauth/" + (derby ? "derby" : "standard"))
                .javaMigrations(new EpochMillisecondTimes(writtenIn), new LegacyForms(), new RotationFamilies())
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                // A schema that holds tables of its own (an application's, another tool's history) but none of ours
                // is taken as version 0, so that every migration runs; one of an earlier version as that version.
                .baselineOnMigrate(true)
                .baselineVersion(MigrationVersion.fromVersion(Integer.toString(legacyVersion)))
                .baselineDescription(legacyVersion == 0 ? "no tokenauth tables"
                        : "tokenauth schema of version " + legacyVersion + " made before the migration history")
                .loggers(FlywayLog.class.getName())
                .load();
    }

    /** A database migrated by a newer version than this one (a rollback to an older WAR) is not touched. */
    private static void refuseANewerSchema(Flyway flyway) {
        MigrationInfo[] all = flyway.info().all();
        Optional<MigrationVersion> newestKnown = Arrays.stream(all)
                .filter(m -> m.getState().isResolved() && m.getVersion() != null)
                .map(MigrationInfo::getVersion).max(Comparator.naturalOrder());
        Optional<MigrationInfo> newestApplied = Arrays.stream(all)
                .filter(m -> m.getState().isApplied() && !m.getState().isResolved() && m.getVersion() != null)
                .max(Comparator.comparing(MigrationInfo::getVersion));
        if (newestApplied.isPresent() && newestKnown.isPresent()
                && newestApplied.get().getVersion().compareTo(newestKnown.get()) > 0) {
            throw new DatabaseRefused("tokenauth will not start: the database's schema is at version "
                    + newestApplied.get().getVersion() + " (" + newestApplied.get().getDescription() + "), newer than"
                    + " this version's " + newestKnown.get() + ". A newer tokenauth upgraded it: deploy that version"
                    + " (or a later one) again, or restore the backup taken before the upgrade. Nothing was changed.");
        }
    }
}
