package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.tokenauth.log.LogText;
import dev.tokenauth.user.Usernames;

/**
 * Brings the names that earlier versions stored to their {@linkplain Usernames canonical} form, once, at start:
 * a name with surrounding spaces (a user, a token's owner, an owner's lock row) is renamed to the name without
 * them, so that the code, which now strips every name it is given, finds its rows on every database. Two names
 * that would become one ({@code 'carol'} and {@code 'carol '}, which PostgreSQL keeps apart) stop the start,
 * naming both: only an operator can tell whether they are one person. The audit trail keeps the names as they
 * were written: it is a record of what happened, not of who is who now.
 * <p>
 * The database finds the candidates ({@code LENGTH <> LENGTH(TRIM(..))}, the spaces that Derby's padded
 * comparison ignored), so that a start reads no more than the rows concerned; none is the usual case.
 */
final class CanonicalUsernames {

    private static final Logger LOG = Logger.getLogger(CanonicalUsernames.class.getName());

    /** A table and its column of user names; unique ones are the tables whose key is the name. */
    record NameColumn(String table, String column, boolean unique) {
    }

    private static final String LOCKS = "TA_TOKEN_OWNER";

    static final List<NameColumn> COLUMNS = List.of(
            new NameColumn("TA_USER", "USERNAME", true),
            new NameColumn("TA_TOKEN", "OWNER", false),
            new NameColumn(LOCKS, "OWNER", true));

    /** Thrown when two stored names differ only by surrounding spaces. */
    static final class CollidingNames extends DatabaseRefused {
        private static final long serialVersionUID = 1L;

        CollidingNames(String message) {
            super(message);
        }
    }

    private CanonicalUsernames() {
    }

    /**
     * Renames what an earlier version left; returns how many names were renamed.
     *
     * @throws CollidingNames when two names of users or token owners would become one; nothing is changed then
     */
    static int migrate(Transactions tx) {
        Outcome outcome = tx.run("user name migration", em -> {
            Connection connection = em.unwrap(Connection.class);
            try {
                // Nothing is written when names collide.
                return rename(connection).withDerby(connection.getMetaData().getDatabaseProductName().contains("Derby"));
            } catch (SQLException e) {
                throw new IllegalStateException("Could not read the stored user names: " + e.getMessage(), e);
            }
        });
        if (!outcome.collisions().isEmpty()) {
            throw new CollidingNames("tokenauth will not start: stored user names differ only by surrounding spaces, "
                    + "which this version takes off every name, so each group would become one account: "
                    + String.join("; ", outcome.collisions()) + ". Rename or remove all but one of each group (table "
                    + "TA_USER, column USERNAME; tokens in TA_TOKEN, column OWNER), then start again. Nothing was "
                    + "changed.");
        }
        if (outcome.renamed().isEmpty()) {
            return 0;
        }
        if (outcome.derby()) {
            tx.run("user name index rebuild", em -> {
                rebuildIndexes(em.unwrap(Connection.class), outcome.tables());
                return null;
            });
        }
        LOG.info(() -> "Took the surrounding spaces off " + outcome.renamed().size() + " stored user name(s): "
                + outcome.renamed().entrySet().stream()
                        .map(e -> "'" + LogText.escape(e.getKey()) + "' is now '" + LogText.escape(e.getValue()) + "'")
                        .collect(Collectors.joining(", "))
                + " (users, token owners; the audit trail keeps the names as they were written)");
        return outcome.renamed().size();
    }

    /** What {@link #rename} found and did: names renamed (old to new) and the tables changed, or the collisions. */
    private record Outcome(Map<String, String> renamed, Set<String> tables, List<String> collisions, boolean derby) {
        Outcome withDerby(boolean isDerby) {
            return new Outcome(renamed, tables, collisions, isDerby);
        }
    }

    private static Outcome rename(Connection connection) throws SQLException {
        // Each name with surrounding spaces, and the columns it is in.
        Map<String, Set<NameColumn>> padded = new TreeMap<>();
        for (NameColumn column : COLUMNS) {
            for (String name : padded(connection, column)) {
                padded.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(column);
            }
        }
        if (padded.isEmpty()) {
            return new Outcome(Map.of(), Set.of(), List.of(), false);
        }
        List<String> collisions = new ArrayList<>();
        Map<String, List<String>> byCanonical = new TreeMap<>();
        for (Map.Entry<String, Set<NameColumn>> e : padded.entrySet()) {
            // The lock rows hold nothing but the name: only users and tokens make a name someone.
            if (e.getValue().stream().anyMatch(c -> !c.table().equals(LOCKS))) {
                byCanonical.computeIfAbsent(Usernames.canonical(e.getKey()), c -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<String, List<String>> e : byCanonical.entrySet()) {
            List<String> names = new ArrayList<>(e.getValue());
            if (existsExactly(connection, COLUMNS.get(0), e.getKey()) || existsExactly(connection, COLUMNS.get(1), e.getKey())) {
                names.add(0, e.getKey());
            }
            if (names.size() > 1) {
                collisions.add(names.stream().map(n -> "'" + LogText.escape(n) + "'").collect(Collectors.joining(" and ")));
            }
        }
        if (!collisions.isEmpty()) {
            return new Outcome(Map.of(), Set.of(), collisions, false);
        }
        Map<String, String> renamed = new LinkedHashMap<>();
        Set<String> tables = new LinkedHashSet<>();
        for (Map.Entry<String, Set<NameColumn>> e : padded.entrySet()) {
            String name = e.getKey();
            String canonical = Usernames.canonical(name);
            for (NameColumn column : e.getValue()) {
                tables.add(column.table());
                String exactly = column.column() + " = ? AND LENGTH(" + column.column() + ") = ?";
                if (column.unique() && existsExactly(connection, column, canonical)) {
                    // Only a lock row can meet its canonical name here (users were checked above): it is surplus.
                    update(connection, "DELETE FROM " + column.table() + " WHERE " + exactly, name);
                } else {
                    update(connection, "UPDATE " + column.table() + " SET " + column.column() + " = ? WHERE " + exactly,
                            canonical, name);
                }
            }
            renamed.put(name, canonical);
        }
        return new Outcome(renamed, tables, List.of(), false);
    }

    /** The names of {@code column} that have surrounding spaces, each once. */
    private static Set<String> padded(Connection connection, NameColumn column) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + column.column() + " FROM " + column.table()
                        + " WHERE LENGTH(" + column.column() + ") <> LENGTH(TRIM(" + column.column() + "))")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** Whether {@code name} itself is in {@code column}: Derby's {@code =} alone would also match it padded. */
    private static boolean existsExactly(Connection connection, NameColumn column, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + column.table()
                + " WHERE " + column.column() + " = ? AND LENGTH(" + column.column() + ") = ?")) {
            statement.setString(1, name);
            statement.setInt(2, name.length());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    /** Runs {@code sql}, whose last two parameters pick {@code name} exactly: the name and its length. */
    private static void update(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            String name = values[values.length - 1];
            statement.setInt(values.length + 1, name.length());
            statement.executeUpdate();
        }
    }

    /**
     * Derby leaves an index entry as it was when a row's key is updated to a value it compares equal to
     * ({@code 'carol '} to {@code 'carol'}), and answers queries that read the index with the old bytes; a rebuild
     * of the table's indexes makes them hold the new ones. Run only when a name was renamed, which is once.
     */
    private static void rebuildIndexes(Connection connection, Set<String> tables) {
        for (String table : tables) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CALL SYSCS_UTIL.SYSCS_COMPRESS_TABLE(CURRENT SCHEMA, '" + table + "', 1)");
            } catch (SQLException e) {
                throw new IllegalStateException("Could not rebuild the indexes of " + table + ": " + e.getMessage(), e);
            }
        }
    }
}
