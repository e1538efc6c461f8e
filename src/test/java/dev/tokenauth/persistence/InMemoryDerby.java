package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/** The persistence unit on an in-memory Derby database of a test's own, and its drop at the end. */
final class InMemoryDerby {

    private InMemoryDerby() {
    }

    /** Opens the persistence unit on {@code url}, creating the database. */
    static EntityManagerFactory open(String url) {
        return Persistence.createEntityManagerFactory(Database.PERSISTENCE_UNIT, Map.of(
                "jakarta.persistence.jdbc.url", url + ";create=true",
                "jakarta.persistence.jdbc.driver", "org.apache.derby.iapi.jdbc.AutoloadedDriver"));
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
