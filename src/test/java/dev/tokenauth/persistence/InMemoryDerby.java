package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

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
