import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The most commits per second this disk gives the database: THREADS threads, each on its own connection, each
 * inserting one row per transaction (autocommit off, insert, commit) for SECONDS seconds. create_token needs at
 * least one such commit per token, so its throughput is reported as a fraction of this.
 * <p>
 * TARGET is either a directory, for an embedded Derby database of its own (created if missing), so as never to
 * touch, or lock, the application's; or a {@code jdbc:postgresql:} URL, with the user and password in the
 * environment (CEILING_USER, CEILING_PASSWORD), where it uses a table of its own beside the application's. The
 * table has the shape of TA_TOKEN's essentials: identity key, unique 64-character digest, indexed owner, a time in
 * epoch milliseconds. The database's settings are its defaults, as in the application (in particular a log flush to
 * disk at every commit, Derby's and PostgreSQL's synchronous_commit).
 * <p>
 * <p>
 * With a fourth argument {@code creation}: instead of its own table, the application's own tables in TARGET (Tomcat
 * stopped), and per transaction the statements of one create_token, as bare JDBC: the owner's row locked and its
 * count of active tokens raised (the very UPDATE of {@code TokenOwnerEntity.ADD_ONE_WITHIN}), the creating token read
 * by owner and id, the new token inserted (its generated id read back) and its audit event inserted. Thread i acts
 * for owner {@code bench-user-}(i mod 100 + 1) with that owner's first token as the creating one, as the benchmark's
 * create_token cases do. That is the floor of create_token on this schema: what the database itself charges for
 * one creation's statements, with no HTTP, no filter and no EclipseLink; the rows it adds are the benchmark's.
 * <p>
 * Usage: java -cp DRIVER_JARS JdbcCeiling.java TARGET THREADS SECONDS [creation]
 * Prints a human line and a machine line: CEILING threads=N commits=N rate=R p50_ms=X p99_ms=Y
 */
public class JdbcCeiling {

    /** Not counted: the JIT and Derby's first log-file growth would otherwise weigh on short runs. */
    private static final long WARM_UP_NANOS = 1_000_000_000L;

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && !(args.length == 4 && args[3].equals("creation"))) {
            System.err.println("usage: JdbcCeiling DERBY_DIR|JDBC_URL THREADS SECONDS [creation]");
            System.exit(2);
        }
        boolean creation = args.length == 4;
        String target = args[0];
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        boolean derby = !target.startsWith("jdbc:");
        String url = target;
        if (derby) {
            System.setProperty("derby.stream.error.file", target + ".log");
            url = "jdbc:derby:" + target + (creation ? "" : ";create=true");
        }
        Properties login = new Properties();
        if (!derby) {
            login.setProperty("user", System.getenv().getOrDefault("CEILING_USER", ""));
            login.setProperty("password", System.getenv().getOrDefault("CEILING_PASSWORD", ""));
        }
        if (!creation) {
            createTable(url, login, derby);
        }

        long measureFrom = System.nanoTime() + WARM_UP_NANOS;
        long measureUntil = measureFrom + seconds * 1_000_000_000L;
        List<Worker> workers = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker(url, login, i, measureFrom, measureUntil, ready,
                    creation ? new Creation() : new BareInsert());
            workers.add(w);
            w.start();
        }
        long commits = 0;
        List<long[]> all = new ArrayList<>();
        for (Worker w : workers) {
            w.join();
            if (w.failure != null) {
                throw new IllegalStateException("worker " + w.index + " failed", w.failure);
            }
            all.add(Arrays.copyOf(w.latencies, w.count));
            commits += w.count;
        }
        long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double rate = commits / (double) seconds;
        double p50 = percentile(latencies, 50) / 1e6;
        double p99 = percentile(latencies, 99) / 1e6;
        System.out.printf("JDBC %s, %d threads, %d s: %d commits, %.1f commits/s, p50 %.2f ms, p99 %.2f ms%n",
                creation ? "creation's statements+commit" : "insert+commit", threads, seconds, commits, rate, p50, p99);
        System.out.printf("CEILING threads=%d commits=%d rate=%.1f p50_ms=%.3f p99_ms=%.3f%n",
                threads, commits, rate, p50, p99);
        if (!derby) {
            return;
        }
        try {
            DriverManager.getConnection("jdbc:derby:" + target + ";shutdown=true");
        } catch (SQLException e) {
            // 08006 is Derby's way of saying the database was shut down.
            if (!"08006".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static void createTable(String url, Properties login, boolean derby) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, login); Statement s = c.createStatement()) {
            if (!derby) {
                s.executeUpdate("CREATE TABLE IF NOT EXISTS CEILING_TOKEN (ID BIGINT GENERATED BY DEFAULT AS IDENTITY"
                        + " PRIMARY KEY, DIGEST VARCHAR(64) NOT NULL, DISPLAY_PREFIX VARCHAR(16) NOT NULL,"
                        + " OWNER VARCHAR(255) NOT NULL, CREATED_AT_MS BIGINT NOT NULL)");
                s.executeUpdate("CREATE UNIQUE INDEX IF NOT EXISTS CEILING_TOKEN_DIGEST ON CEILING_TOKEN (DIGEST)");
                s.executeUpdate("CREATE INDEX IF NOT EXISTS CEILING_TOKEN_OWNER ON CEILING_TOKEN (OWNER)");
                return;
            }
            try {
                s.executeUpdate("CREATE TABLE CEILING_TOKEN (ID BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                        + " DIGEST VARCHAR(64) NOT NULL, DISPLAY_PREFIX VARCHAR(16) NOT NULL,"
                        + " OWNER VARCHAR(255) NOT NULL, CREATED_AT_MS BIGINT NOT NULL)");
                s.executeUpdate("CREATE UNIQUE INDEX CEILING_TOKEN_DIGEST ON CEILING_TOKEN (DIGEST)");
                s.executeUpdate("CREATE INDEX CEILING_TOKEN_OWNER ON CEILING_TOKEN (OWNER)");
            } catch (SQLException e) {
                if (!"X0Y32".equals(e.getSQLState())) { // the table exists: an earlier run made it
                    throw e;
                }
            }
        }
    }

    /** Nearest-rank percentile of sorted nanoseconds; 0 when there is none. */
    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * One transaction's statements, on a connection of its own; the worker commits after each, and gives each a
     * digest of its own (unique across threads and across runs on the same database).
     */
    private interface Unit {
        void prepare(Connection c, int index) throws Exception;

        void execute(String digest) throws Exception;
    }

    /** One row into the ceiling's own table. */
    private static final class BareInsert implements Unit {
        private PreparedStatement insert;
        private String owner;

        @Override
        public void prepare(Connection c, int index) throws SQLException {
            owner = "ceiling-owner-" + index;
            insert = c.prepareStatement("INSERT INTO CEILING_TOKEN"
                    + " (DIGEST, DISPLAY_PREFIX, OWNER, CREATED_AT_MS) VALUES (?, ?, ?, ?)");
        }

        @Override
        public void execute(String digest) throws SQLException {
            insert.setString(1, digest);
            insert.setString(2, "tka_" + digest.substring(0, 6));
            insert.setString(3, owner);
            insert.setLong(4, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    /** One create_token's statements on the application's tables (see the class comment). */
    private static final class Creation implements Unit {
        private static final String TOKEN_COLUMNS = "CREATED_BY_TOKEN, DIGEST, DISPLAY_PREFIX, OWNER, LABEL,"
                + " ROTATED_TO, CREATED_AT_MS, EXPIRES_AT_MS, EXPIRY_NOTED_AT_MS, LAST_USED_AT_MS, REVOKED_AT_MS,"
                + " SCOPES, ROTATED_FROM, FAMILY_ID, REVOKED_BY, REVOKE_REASON, EXPIRY_WARNED_AT_MS";
        private PreparedStatement countOne;
        private PreparedStatement readParent;
        private PreparedStatement insertToken;
        private PreparedStatement insertEvent;
        private String owner;
        private long parent;

        @Override
        public void prepare(Connection c, int index) throws SQLException {
            owner = String.format("bench-user-%03d", index % 100 + 1);
            try (PreparedStatement first = c.prepareStatement("SELECT MIN(ID) FROM TA_TOKEN WHERE OWNER = ?")) {
                first.setString(1, owner);
                try (ResultSet r = first.executeQuery()) {
                    if (!r.next() || r.getObject(1) == null) {
                        throw new IllegalStateException("no token of " + owner + " in the database");
                    }
                    parent = r.getLong(1);
                }
            }
            c.commit();
            countOne = c.prepareStatement(
                    "UPDATE TA_TOKEN_OWNER SET ACTIVE_TOKENS = ACTIVE_TOKENS + 1 WHERE OWNER = ? AND ACTIVE_TOKENS <= ?");
            readParent = c.prepareStatement("SELECT ID, " + TOKEN_COLUMNS + " FROM TA_TOKEN WHERE ID = ? AND OWNER = ?");
            insertToken = c.prepareStatement("INSERT INTO TA_TOKEN (" + TOKEN_COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, NULL, NULL, ?, NULL, NULL, NULL, NULL, NULL)",
                    Statement.RETURN_GENERATED_KEYS);
            insertEvent = c.prepareStatement("INSERT INTO TA_AUDIT (ACTING_USER, CLIENT_ADDRESS, DETAIL, TOKEN_ID,"
                    + " TOKEN_PREFIX, EVENT, USERNAME, OCCURRED_AT_MS, OCCURRENCES, LAST_AT_MS)"
                    + " VALUES (?, ?, ?, ?, ?, 'TOKEN_CREATED', ?, ?, NULL, NULL)");
        }

        @Override
        public void execute(String digest) throws SQLException {
            countOne.setString(1, owner);
            countOne.setInt(2, Integer.MAX_VALUE - 1);
            if (countOne.executeUpdate() != 1) {
                throw new IllegalStateException("no count of active tokens for " + owner);
            }
            readParent.setLong(1, parent);
            readParent.setString(2, owner);
            try (ResultSet r = readParent.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("token " + parent + " of " + owner + " is gone");
                }
            }
            String prefix = "tka_" + digest.substring(0, 6);
            long now = System.currentTimeMillis();
            insertToken.setLong(1, parent);
            insertToken.setString(2, digest);
            insertToken.setString(3, prefix);
            insertToken.setString(4, owner);
            insertToken.setLong(5, now);
            insertToken.setString(6, "read,write");
            insertToken.executeUpdate();
            long id;
            try (ResultSet keys = insertToken.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            insertEvent.setString(1, owner);
            insertEvent.setString(2, "127.0.0.1");
            insertEvent.setString(3, "by token " + parent);
            insertEvent.setLong(4, id);
            insertEvent.setString(5, prefix);
            insertEvent.setString(6, owner);
            insertEvent.setLong(7, now);
            insertEvent.executeUpdate();
        }
    }

    private static final class Worker extends Thread {
        final int index;
        private final String url;
        private final Properties login;
        private final long measureFrom;
        private final long measureUntil;
        private final CountDownLatch ready;
        private final Unit unit;
        long[] latencies = new long[1 << 14];
        int count;
        Exception failure;

        Worker(String url, Properties login, int index, long measureFrom, long measureUntil, CountDownLatch ready,
                Unit unit) {
            this.url = url;
            this.login = login;
            this.index = index;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
            this.ready = ready;
            this.unit = unit;
        }

        @Override
        public void run() {
            boolean counted = false;
            try (Connection c = DriverManager.getConnection(url, login)) {
                c.setAutoCommit(false);
                unit.prepare(c, index);
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                HexFormat hex = HexFormat.of();
                String unique = index + "-" + System.nanoTime() + "-";
                long n = 0;
                ready.countDown();
                counted = true;
                ready.await();
                while (true) {
                    long start = System.nanoTime();
                    if (start >= measureUntil) {
                        break;
                    }
                    unit.execute(hex.formatHex(sha256.digest((unique + n++).getBytes(StandardCharsets.US_ASCII))));
                    c.commit();
                    long end = System.nanoTime();
                    // A commit counts when it started within the measured window.
                    if (start >= measureFrom) {
                        record(end - start);
                    }
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                if (!counted) { // never leave the other threads waiting for this one
                    ready.countDown();
                }
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }
}
