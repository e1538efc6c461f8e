import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills the application's embedded Derby database (Tomcat stopped) with token rows up to a total count, so that
 * token lookups are measured on a table of realistic size.
 * <p>
 * The rows belong to {@code owners} owners named bench-bulk-owner-NNNN that are not users, so none of them can log
 * in and the benchmark's own tokens and users are untouched. Each owner also gets its TA_TOKEN_OWNER row, as the
 * application would have made on its first token. Digests are SHA-256 of a per-row text, hence unique 64-hex
 * strings like real ones; no token of the application's format hashes to them. One row in ten is revoked (a real
 * table holds ended tokens until they are purged); none expires, so the expiry task has nothing to report.
 * <p>
 * The columns are found in the table as the application made it: a time is written to {@code <NAME>_MS} as epoch
 * milliseconds when the table has that column, else to {@code <NAME>} as a TIMESTAMP, and the load refuses to start
 * if the table has a required column it does not know (the schema changed: this program needs the same change).
 * <p>
 * Usage: java -cp derby.jar:derbyshared.jar:derbytools.jar BulkLoad.java DERBY_DIR TOTAL_ROWS OWNERS
 */
public class BulkLoad {

    private static final String OWNER_PREFIX = "bench-bulk-owner-";
    private static final int BATCH = 1_000;
    private static final int ROWS_PER_COMMIT = 20_000;

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BulkLoad DERBY_DIR TOTAL_ROWS OWNERS");
            System.exit(2);
        }
        String dir = args[0];
        long total = Long.parseLong(args[1]);
        int owners = Integer.parseInt(args[2]);
        // Derby's own log next to the application's, not in the working directory; a bigger page cache than
        // Derby's 4 MB default, which only speeds up this load (the server keeps its defaults).
        System.setProperty("derby.stream.error.file", dir + "-bulkload.log");
        System.setProperty("derby.storage.pageCacheSize", "20000");

        // No ";create=true": the application must have made the database and its tables already.
        try (Connection c = DriverManager.getConnection("jdbc:derby:" + dir)) {
            c.setAutoCommit(false);
            long present = count(c, "SELECT COUNT(*) FROM TA_TOKEN");
            long already = count(c, "SELECT COUNT(*) FROM TA_TOKEN WHERE OWNER LIKE '" + OWNER_PREFIX + "%'");
            long missing = total - present;
            if (missing <= 0) {
                System.out.printf("TA_TOKEN already holds %d rows (asked for %d in all): nothing to load%n",
                        present, total);
                c.rollback();
                shutDown();
                return;
            }
            long started = System.nanoTime();
            ensureOwners(c, owners);
            insertTokens(c, already, missing, owners);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Loaded %d token rows in %.1f s (%.0f rows/s); TA_TOKEN now holds %d rows%n",
                    missing, seconds, missing / seconds, count(c, "SELECT COUNT(*) FROM TA_TOKEN"));
            c.commit(); // Derby refuses to close a connection in a transaction, even one that only read
        }
        shutDown();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String owner(long i) {
        return String.format("%s%04d", OWNER_PREFIX, i);
    }

    private static void ensureOwners(Connection c, int owners) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT OWNER FROM TA_TOKEN_OWNER WHERE OWNER LIKE '" + OWNER_PREFIX + "%'")) {
            while (r.next()) {
                existing.add(r.getString(1));
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO TA_TOKEN_OWNER (OWNER) VALUES (?)")) {
            for (int i = 0; i < owners; i++) {
                if (!existing.contains(owner(i))) {
                    insert.setString(1, owner(i));
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        c.commit();
    }

    /** A column of TA_TOKEN as the database describes it. */
    private record Column(String name, int type, boolean required) {
    }

    private static Map<String, Column> columns(Connection c) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet r = meta.getColumns(null, null, "TA_TOKEN", null)) {
            while (r.next()) {
                // Required: NOT NULL, and neither generated nor with a default.
                boolean required = "NO".equals(r.getString("IS_NULLABLE"))
                        && !"YES".equals(r.getString("IS_AUTOINCREMENT")) && r.getString("COLUMN_DEF") == null;
                columns.put(r.getString("COLUMN_NAME"), new Column(r.getString("COLUMN_NAME"), r.getInt("DATA_TYPE"),
                        required));
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("no table TA_TOKEN: has the application started on this database?");
        }
        return columns;
    }

    /** The column of a time: NAME_MS (epoch milliseconds) if the table has it, else NAME. */
    private static Column timeColumn(Map<String, Column> columns, String name) {
        Column column = columns.getOrDefault(name + "_MS", columns.get(name));
        if (column == null) {
            throw new IllegalStateException("TA_TOKEN has neither " + name + "_MS nor " + name + ": " + columns.keySet());
        }
        return column;
    }

    private static void setTime(PreparedStatement insert, int index, Column column, Instant at) throws SQLException {
        boolean millis = column.type() == Types.BIGINT || column.type() == Types.INTEGER;
        if (at == null) {
            insert.setNull(index, millis ? Types.BIGINT : Types.TIMESTAMP);
        } else if (millis) {
            insert.setLong(index, at.toEpochMilli());
        } else {
            insert.setTimestamp(index, Timestamp.from(at));
        }
    }

    /** Rows numbered from {@code first} on (numbers go on from an earlier load, so digests stay unique). */
    private static void insertTokens(Connection c, long first, long rows, int owners) throws Exception {
        Map<String, Column> columns = columns(c);
        Column created = timeColumn(columns, "CREATED_AT");
        Column revoked = timeColumn(columns, "REVOKED_AT");
        List<String> filled = List.of("DIGEST", "DISPLAY_PREFIX", "OWNER", "LABEL", created.name(), revoked.name());
        for (Column column : columns.values()) {
            if (column.required() && !filled.contains(column.name())) {
                throw new IllegalStateException("TA_TOKEN has a required column " + column.name()
                        + " that this program does not fill: bench/java/BulkLoad.java needs the schema's change");
            }
        }
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        HexFormat hex = HexFormat.of();
        // Whole milliseconds, as the application's own clock keeps them.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String sql = "INSERT INTO TA_TOKEN (" + String.join(", ", filled) + ") VALUES (?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (long n = first; n < first + rows; n++) {
                // In no order, as real tokens arrive: the unique index grows at random places, as it does in use.
                String digest = hex.formatHex(sha256.digest(("tokenauth-bench-bulk-row-" + n)
                        .getBytes(StandardCharsets.US_ASCII)));
                insert.setString(1, digest);
                insert.setString(2, "tka_" + digest.substring(0, 6));
                insert.setString(3, owner(n % owners));
                insert.setString(4, "bench bulk");
                setTime(insert, 5, created, now);
                setTime(insert, 6, revoked, n % 10 == 9 ? now : null);
                insert.addBatch();
                long done = n - first + 1;
                if (done % BATCH == 0 || done == rows) {
                    insert.executeBatch();
                }
                if (done % ROWS_PER_COMMIT == 0 || done == rows) {
                    c.commit();
                }
                if (done % 100_000 == 0 && done < rows) {
                    System.out.printf("  %d rows...%n", done);
                }
            }
        }
    }

    /** Closes the database cleanly, so that the server's next start needs no recovery. */
    private static void shutDown() {
        try {
            DriverManager.getConnection("jdbc:derby:;shutdown=true");
        } catch (SQLException e) {
            if (!"XJ015".equals(e.getSQLState())) {
                System.err.println("Derby did not shut down cleanly: " + e);
            }
        }
    }
}
