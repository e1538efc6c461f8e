package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The version of a tokenauth schema made before the migrations had a history: versions 1 to 7, whose tables
 * EclipseLink created and extended itself. Read off the columns each version added (the table in
 * {@code src/test/resources/schemas/README.md}), so that the migrations above it are the ones that run.
 */
final class LegacySchema {

    private LegacySchema() {
    }

    /**
     * The version of the tokenauth tables in the connection's schema; 0 when it holds none (an empty database, or
     * one of an application's own tables only).
     *
     * @throws DatabaseRefused for tables that no version could have left
     */
    static int version(Connection connection) throws SQLException {
        Map<String, String> token = SchemaInspection.columns(connection, "TA_TOKEN");
        Map<String, String> user = SchemaInspection.columns(connection, "TA_USER");
        Map<String, String> audit = SchemaInspection.columns(connection, "TA_AUDIT");
        boolean tokens = !token.isEmpty();
        boolean users = !user.isEmpty();
        if (!tokens && !users) {
            return 0;
        }
        if (!tokens || !users) {
            throw new DatabaseRefused("tokenauth will not start: the database has the table " + (tokens ? "TA_TOKEN"
                    + " without TA_USER" : "TA_USER without TA_TOKEN") + ". Versions before 564bfe4 could not create"
                    + " their token table on PostgreSQL, and such a database never held a token: drop the TA_ tables"
                    + " (or point tokenauth at an empty database) and start again. Nothing was changed.");
        }
        Map<String, Map<String, String>> tables = Map.of("TA_TOKEN", token, "TA_USER", user, "TA_AUDIT", audit);
        // A time column left of before V6 (a start of V6 or V7 that crashed midway leaves some) makes it V5: V6
        // moves what is left.
        boolean oldTimes = EpochMillisecondTimes.COLUMNS.stream()
                .anyMatch(c -> tables.get(c.table()).containsKey(c.old()));
        if (!oldTimes && token.containsKey("CREATED_AT_MS")) {
            return token.containsKey("SCOPES") ? 7 : 6;
        }
        if (user.containsKey("PASSWORD_CHANGED_AT")) {
            // Versions 4 and 5 have the same columns; V5 only gave fresh databases a new owner index name.
            return 5;
        }
        if (user.containsKey("DISABLED")) {
            return 3;
        }
        return audit.isEmpty() ? 1 : 2;
    }
}
