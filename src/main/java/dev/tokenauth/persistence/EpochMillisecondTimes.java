package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 6 (9a1a513): every zone-less {@code TIMESTAMP} column {@code X} becomes a {@code BIGINT}
 * {@code X_MS} of milliseconds since the epoch, so that no time depends on the zone of the JVM that reads it.
 * <p>
 * A {@code TIMESTAMP} of versions 1 to 5 holds the wall-clock time of the zone its server ran in, and the database
 * does not know that zone: it is {@code tokenauth.upgrade.timezone} (the JVM's own unless set), named in the log
 * line, because a server moved into a container at the upgrade usually runs in UTC where the old one did not. The
 * wall clock is read as such, never through the reading JVM's zone. A wall-clock time that
 * the zone shows twice (the hour the clocks go back) is taken at its earlier offset.
 * <p>
 * Each column is done whatever state a crashed start of an earlier version left it in (the new column already made,
 * part of its values copied): a value is copied only into an empty {@code X_MS}.
 */
final class EpochMillisecondTimes extends JavaSchemaMigration {

    private static final Logger LOG = Logger.getLogger(EpochMillisecondTimes.class.getName());
    private static final int BATCH = 1000;

    /** A time column of versions 1 to 5, the table's key, and the column that replaces it. */
    record Moved(String table, String key, String old, String replacement) {
    }

    static final List<Moved> COLUMNS = List.of(
            new Moved("TA_TOKEN", "ID", "CREATED_AT", "CREATED_AT_MS"),
            new Moved("TA_TOKEN", "ID", "EXPIRES_AT", "EXPIRES_AT_MS"),
            new Moved("TA_TOKEN", "ID", "EXPIRY_NOTED_AT", "EXPIRY_NOTED_AT_MS"),
            new Moved("TA_TOKEN", "ID", "LAST_USED_AT", "LAST_USED_AT_MS"),
            new Moved("TA_TOKEN", "ID", "REVOKED_AT", "REVOKED_AT_MS"),
            new Moved("TA_USER", "USERNAME", "CREATED_AT", "CREATED_AT_MS"),
            new Moved("TA_USER", "USERNAME", "PASSWORD_CHANGED_AT", "PASSWORD_CHANGED_AT_MS"),
            new Moved("TA_AUDIT", "ID", "OCCURRED_AT", "OCCURRED_AT_MS"));

    private final ZoneId writtenIn;

    /** @param writtenIn the zone in which the earlier version wrote its times */
    EpochMillisecondTimes(ZoneId writtenIn) {
        super(6, "times as epoch milliseconds");
        this.writtenIn = writtenIn;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        long moved = 0;
        for (Moved column : COLUMNS) {
            moved += move(connection, column);
        }
        long values = moved;
        LOG.info(() -> "Moved " + values + " stored times to milliseconds since the epoch, reading them as wall-clock"
                + " times of " + writtenIn + " (tokenauth.upgrade.timezone, the zone the earlier version ran in)");
    }

    private long move(Connection connection, Moved column) throws SQLException {
        Map<String, String> columns = SchemaInspection.columns(connection, column.table());
        if (!columns.containsKey(column.replacement())) {
            execute(connection, "ALTER TABLE " + column.table() + " ADD " + column.replacement() + " BIGINT");
        }
        if (!columns.containsKey(column.old())) {
            return 0;
        }
        long moved = 0;
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC));
        try (Statement read = connection.createStatement();
                PreparedStatement write = connection.prepareStatement("UPDATE " + column.table() + " SET "
                        + column.replacement() + " = ? WHERE " + column.key() + " = ?")) {
            read.setFetchSize(BATCH);
            try (ResultSet rows = read.executeQuery("SELECT " + column.key() + ", " + column.old() + " FROM "
                    + column.table() + " WHERE " + column.old() + " IS NOT NULL AND " + column.replacement()
                    + " IS NULL")) {
                while (rows.next()) {
                    write.setLong(1, wallClock(rows.getTimestamp(2, utc)).atZone(writtenIn).toInstant().toEpochMilli());
                    write.setObject(2, rows.getObject(1));
                    write.addBatch();
                    if (++moved % BATCH == 0) {
                        write.executeBatch();
                    }
                }
            }
            write.executeBatch();
        }
        execute(connection, "ALTER TABLE " + column.table() + " DROP COLUMN " + column.old());
        return moved;
    }

    /**
     * The stored wall-clock time itself: read through a UTC calendar, which has no gaps or repeated hours (Derby
     * cannot return a LocalDateTime, and through the JVM's zone a time in its spring gap would move an hour).
     */
    private static LocalDateTime wallClock(Timestamp readAsUtc) {
        return LocalDateTime.ofInstant(readAsUtc.toInstant(), ZoneOffset.UTC);
    }
}
