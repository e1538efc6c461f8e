package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;


/**
 * Moves the times that earlier versions stored as zone-less SQL {@code TIMESTAMP}s into the epoch-millisecond
 * columns of this version (EclipseLink has just added them, empty, to the old tables), then drops the old columns.
 * A {@code TIMESTAMP} is read back through JDBC in the JVM's time zone, the zone it was written in: so the first
 * start of this version must run in the time zone the earlier version ran in (as it did until now). Each column
 * moves in one transaction; a start that finds no old column does nothing.
 */
final class InstantColumns {

    private static final Logger LOG = Logger.getLogger(InstantColumns.class.getName());

    /** A time column of an earlier version and the one that replaces it. */
    record Moved(String table, String key, String old, String replacement) {
    }

    static final List<Moved> COLUMNS = List.of(
            new Moved("TA_TOKEN", "ID", "CREATED_AT", "CREATED_AT_MS"),
            new Moved("TA_TOKEN", "ID", "EXPIRES_AT", "EXPIRES_AT_MS"),
            new Moved("TA_TOKEN", "ID", "LAST_USED_AT", "LAST_USED_AT_MS"),
            new Moved("TA_TOKEN", "ID", "REVOKED_AT", "REVOKED_AT_MS"),
            new Moved("TA_TOKEN", "ID", "EXPIRY_NOTED_AT", "EXPIRY_NOTED_AT_MS"),
            new Moved("TA_USER", "USERNAME", "CREATED_AT", "CREATED_AT_MS"),
            new Moved("TA_USER", "USERNAME", "PASSWORD_CHANGED_AT", "PASSWORD_CHANGED_AT_MS"),
            new Moved("TA_AUDIT", "ID", "OCCURRED_AT", "OCCURRED_AT_MS"));

    private InstantColumns() {
    }

    /** Moves what an earlier version left; returns how many values were moved. */
    static long migrate(Transactions tx) {
        long moved = 0;
        for (Moved column : COLUMNS) {
            if (!exists(tx, column)) {
                continue;
            }
            long values = tx.run("time column migration", em -> {
                @SuppressWarnings("unchecked")
                List<Object[]> rows = em.createNativeQuery("SELECT " + column.key() + ", " + column.old() + " FROM "
                        + column.table() + " WHERE " + column.old() + " IS NOT NULL AND " + column.replacement()
                        + " IS NULL").getResultList();
                for (Object[] row : rows) {
                    em.createNativeQuery("UPDATE " + column.table() + " SET " + column.replacement() + " = ? WHERE "
                            + column.key() + " = ?")
                            .setParameter(1, ((Date) row[1]).getTime())
                            .setParameter(2, row[0])
                            .executeUpdate();
                }
                em.createNativeQuery("ALTER TABLE " + column.table() + " DROP COLUMN " + column.old())
                        .executeUpdate();
                return (long) rows.size();
            });
            moved += values;
            LOG.info(() -> "Moved " + values + " times of " + column.table() + "." + column.old() + " to "
                    + column.replacement() + " (milliseconds since the epoch); the old column is dropped");
        }
        return moved;
    }

    /**
     * Whether the table still has the old column, from the JDBC metadata (a probing query would make EclipseLink
     * log a warning with a stack trace at every start). Derby keeps unquoted names in upper case, PostgreSQL in lower.
     */
    private static boolean exists(Transactions tx, Moved column) {
        return tx.run("time column check", em -> {
            Connection connection = em.unwrap(Connection.class);
            try {
                DatabaseMetaData metadata = connection.getMetaData();
                for (String table : new String[] {column.table(), column.table().toLowerCase(Locale.ROOT)}) {
                    String name = table.equals(column.table()) ? column.old() : column.old().toLowerCase(Locale.ROOT);
                    try (ResultSet columns = metadata.getColumns(null, null, table, name)) {
                        if (columns.next()) {
                            return true;
                        }
                    }
                }
                return false;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
