package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/** The persistence unit on an in-memory Derby database of a test's own, and its drop at the end. */
final class InMemoryDerby {

    private InMemoryDerby() {
    }

    /** Opens the persistence unit on {@code url}, creating the database and migrating its schema, as the application does. */
    static EntityManagerFactory open(String url) {
        return open(url, ZoneId.systemDefault());
    }

    /** Opens the persistence unit on {@code url} as {@link #open(String)}, with times before V6 read in {@code zone}. */
    static EntityManagerFactory open(String url, ZoneId writtenIn) {
        migrate(url, writtenIn);
        return Persistence.createEntityManagerFactory(Database.PERSISTENCE_UNIT, Map.of(
                "jakarta.persistence.jdbc.url", url + ";create=true",
                "jakarta.persistence.jdbc.driver", "org.apache.derby.iapi.jdbc.AutoloadedDriver"));
    }

    /** Brings the schema of the database at {@code url} (created if need be) to this version's. */
    static String migrate(String url, ZoneId writtenIn) {
        return SchemaMigrations.migrate(
                new ConnectionsDataSource(() -> DriverManager.getConnection(url + ";create=true")), writtenIn);
    }

    /**
     * Makes the database at {@code url} (empty) what the version that shipped schema {@code version} made: its
     * migrations up to that one, with their history. For the schemas that have one (from V8 on).
     */
    static void migrateTo(String url, int version) {
        Flyway shipped = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .configuration(SchemaMigrations.flyway(
                        new ConnectionsDataSource(() -> DriverManager.getConnection(url + ";create=true")), true, 0,
                        ZoneId.of("UTC")).getConfiguration())
                .target(MigrationVersion.fromVersion(Integer.toString(version)))
                .load();
        shipped.migrate();
    }

    /**
     * The units of work on {@code factory} (in-memory Derby is embedded Derby), with an availability of their own:
     * what a {@link Database} gives its stores.
     */
    static Transactions transactions(EntityManagerFactory factory) {
        return new Transactions(factory, new StoreAvailability(Clock.systemUTC()), true);
    }

    /** Drops the database at {@code url}; its factories must be closed first. */
    static void drop(String url) {
        try (Connection ignored = DriverManager.getConnection(url + ";drop=true")) {
            // Derby answers a drop with an exception.
        } catch (SQLException dropped) {
            // XJ048: dropped, as asked.
        }
    }
}
