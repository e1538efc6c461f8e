package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 8: the two forms that earlier versions left behind become the one schema every later migration
 * can assume (see {@code src/test/resources/schemas/README.md}):
 * <ul>
 * <li>Derby databases created before V5 keep the owner index under its first name, {@code TA_TOKEN_OWNER}, because
 * EclipseLink's create-or-extend never renamed it: it is renamed {@code TA_TOKEN_OWNER_IDX}.</li>
 * <li>PostgreSQL databases that Payara Micro 6 made before 564bfe4 have 32-bit {@code SERIAL} ids in
 * {@code TA_TOKEN} and {@code TA_AUDIT}, while the columns that refer to them are 64-bit: the ids and their
 * sequences become {@code BIGINT}, every id and each sequence's next value kept.</li>
 * </ul>
 * A database in neither form is not changed.
 */
final class LegacyForms extends JavaSchemaMigration {

    private static final Logger LOG = Logger.getLogger(LegacyForms.class.getName());

    LegacyForms() {
        super(8, "one owner index name and 64-bit ids everywhere");
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (SchemaInspection.hasIndex(connection, "TA_TOKEN", "TA_TOKEN_OWNER")) {
            execute(connection, "RENAME INDEX TA_TOKEN_OWNER TO TA_TOKEN_OWNER_IDX");
            LOG.info("Renamed the index TA_TOKEN_OWNER of TA_TOKEN (made before V5) to TA_TOKEN_OWNER_IDX");
        }
        for (String table : List.of("TA_TOKEN", "TA_AUDIT")) {
            String type = SchemaInspection.columns(connection, table).get("ID");
            if (type != null && List.of("int4", "integer", "serial").contains(type.toLowerCase(Locale.ROOT))) {
                widen(connection, table.toLowerCase(Locale.ROOT));
            }
        }
    }

    /** PostgreSQL: the id column and the sequence behind its default both become 64-bit. */
    private static void widen(Connection connection, String table) throws SQLException {
        execute(connection, "ALTER TABLE " + table + " ALTER COLUMN id TYPE BIGINT");
        String sequence = null;
        try (Statement statement = connection.createStatement();
                ResultSet found = statement.executeQuery("SELECT pg_get_serial_sequence('" + table + "', 'id')")) {
            if (found.next()) {
                sequence = found.getString(1);
            }
        }
        if (sequence != null) {
            execute(connection, "ALTER SEQUENCE " + sequence + " AS BIGINT");
        }
        String widened = sequence;
        LOG.info(() -> "Made the ids of " + table + (widened == null ? "" : " and their sequence " + widened)
                + " 64-bit (they were 32-bit SERIAL, as Payara Micro made them before 564bfe4)");
    }
}
