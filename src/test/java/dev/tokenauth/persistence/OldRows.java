package dev.tokenauth.persistence;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;

import dev.tokenauth.token.TokenFormat;

/**
 * The rows an earlier version wrote, put into a database of that version's schema as it wrote them: users, tokens of
 * every kind the schema can hold (lasting, expiring, expired, revoked, rotated in grace and its successor, made by a
 * token, labelled, scoped) and audit events, with zone-less TIMESTAMPs written through the JVM's zone, as
 * {@code Timestamp.from(instant)} did. Only the columns the schema has are written. {@link #assertKeptIn} then
 * reads every row back from the upgraded database and names each value that changed.
 */
public final class OldRows {

    /** One token of the old database, what it must still be, and its plaintext. */
    public record OldToken(String kind, String plaintext, long id, String owner, boolean works,
            Map<String, Object> values) {
    }

    public record OldUser(String name, Map<String, Object> values) {
    }

    private final Instant now;
    private final List<OldToken> tokens = new ArrayList<>();
    private final List<OldUser> users = new ArrayList<>();
    private final Map<Long, Map<String, Object>> audit = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Each table's columns and their types, read once: Derby's metadata queries are slow. */
    private final Map<String, Map<String, String>> columns = new LinkedHashMap<>();

    private OldRows(Instant now) {
        this.now = now;
    }

    private boolean has(Connection db, String table, String column) throws SQLException {
        return type(db, table, column) != null;
    }

    private String type(Connection db, String table, String column) throws SQLException {
        Map<String, String> types = columns.get(table);
        if (types == null) {
            types = new LinkedHashMap<>();
            if (SchemaInspection.hasTable(db, table)) {
                try (Statement read = db.createStatement();
                        ResultSet none = read.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
                    for (int i = 1; i <= none.getMetaData().getColumnCount(); i++) {
                        types.put(none.getMetaData().getColumnName(i).toUpperCase(Locale.ROOT),
                                none.getMetaData().getColumnTypeName(i));
                    }
                }
            }
            columns.put(table, types);
        }
        return types.get(column);
    }

    public List<OldToken> tokens() {
        return tokens;
    }

    public List<OldUser> users() {
        return users;
    }

    public int auditEvents() {
        return audit.size();
    }

    /** Rows counted: users, tokens, audit events. */
    public int rows() {
        return users.size() + tokens.size() + audit.size();
    }

    /**
     * Writes the rows into the schema of {@code db}, as the version that made it would have at {@code now}: its
     * TIMESTAMPs in the JVM's current zone.
     */
    public static OldRows writeInto(Connection db, Instant now) throws SQLException {
        OldRows rows = new OldRows(now);
        rows.write(db);
        return rows;
    }

    private void write(Connection db) throws SQLException {
        boolean disabledColumn = has(db, "TA_USER", "DISABLED");
        user(db, "alice", true, false, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(10)));
        user(db, "bob", false, disabledColumn, now.minus(Duration.ofDays(50)), null);
        user(db, "carol", false, false, now.minus(Duration.ofDays(40)), null);

        boolean lifecycle = has(db, "TA_TOKEN", "LABEL");
        boolean scopes = has(db, "TA_TOKEN", "SCOPES");
        Map<String, Object> lasting = new LinkedHashMap<>();
        lasting.put("CREATED_AT", now.minus(Duration.ofDays(30)).plusMillis(123));
        if (lifecycle) {
            lasting.put("LABEL", "deploy bot");
            lasting.put("LAST_USED_AT", now.minus(Duration.ofHours(20)).plusMillis(7));
        }
        OldToken parent = token(db, "lasting", "alice", true, lasting);

        Map<String, Object> child = new LinkedHashMap<>();
        child.put("CREATED_AT", now.minus(Duration.ofDays(29)));
        child.put("CREATED_BY_TOKEN", parent.id());
        token(db, "made by a token", "alice", true, child);

        Map<String, Object> revoked = new LinkedHashMap<>();
        revoked.put("CREATED_AT", now.minus(Duration.ofDays(20)));
        revoked.put("REVOKED_AT", now.minus(Duration.ofDays(3)).plusMillis(999));
        token(db, "revoked", "alice", false, revoked);

        token(db, "of a user who is disabled", "bob", !disabledColumn,
                new LinkedHashMap<>(Map.of("CREATED_AT", now.minus(Duration.ofDays(15)))));

        if (!lifecycle) {
            return;
        }
        Map<String, Object> expiring = new LinkedHashMap<>();
        expiring.put("CREATED_AT", now.minus(Duration.ofDays(1)));
        expiring.put("EXPIRES_AT", now.plus(Duration.ofDays(6)).plusMillis(450));
        token(db, "expiring", "carol", true, expiring);

        Map<String, Object> expired = new LinkedHashMap<>();
        expired.put("CREATED_AT", now.minus(Duration.ofDays(10)));
        expired.put("EXPIRES_AT", now.minus(Duration.ofMinutes(1)));
        token(db, "expired, not yet audited", "carol", false, expired);

        Map<String, Object> noted = new LinkedHashMap<>();
        noted.put("CREATED_AT", now.minus(Duration.ofDays(12)));
        noted.put("EXPIRES_AT", now.minus(Duration.ofDays(2)));
        noted.put("EXPIRY_NOTED_AT", now.minus(Duration.ofDays(2)).plusSeconds(61));
        OldToken audited = token(db, "expired and audited", "carol", false, noted);

        Map<String, Object> successor = new LinkedHashMap<>();
        successor.put("CREATED_AT", now.minus(Duration.ofMinutes(30)));
        successor.put("LABEL", "rotated daily");
        if (scopes) {
            successor.put("SCOPES", "read");
        }
        OldToken next = token(db, "successor of a rotation" + (scopes ? ", scoped read" : ""), "alice", true,
                successor);
        Map<String, Object> inGrace = new LinkedHashMap<>();
        inGrace.put("CREATED_AT", now.minus(Duration.ofDays(1)).minusSeconds(1800));
        inGrace.put("EXPIRES_AT", now.plus(Duration.ofHours(23)).plusSeconds(1800));
        inGrace.put("LABEL", "rotated daily");
        OldToken rotated = token(db, "rotated, in its grace period", "alice", true, inGrace);
        update(db, "UPDATE TA_TOKEN SET ROTATED_TO = ? WHERE ID = ?", next.id(), rotated.id());
        rotated.values().put("ROTATED_TO", next.id());
        update(db, "UPDATE TA_TOKEN SET CREATED_BY_TOKEN = ? WHERE ID = ?", rotated.id(), next.id());
        next.values().put("CREATED_BY_TOKEN", rotated.id());
        if (SchemaInspection.columns(db, "TA_TOKEN").containsKey("FAMILY_ID")) {
            // Version 10 on: the rotation itself names the successor's predecessor and family.
            update(db, "UPDATE TA_TOKEN SET ROTATED_FROM = ? WHERE ID = ?", rotated.id(), next.id());
            update(db, "UPDATE TA_TOKEN SET FAMILY_ID = ? WHERE ID = ?", rotated.id(), next.id());
        }
        // Before: migration 11 fills them in; either way the upgraded row has them.
        next.values().put("ROTATED_FROM", rotated.id());
        next.values().put("FAMILY_ID", rotated.id());

        if (scopes) {
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("CREATED_AT", now.minus(Duration.ofDays(2)));
            both.put("SCOPES", "read write");
            token(db, "scoped read write", "carol", true, both);
        }

        event(db, "TOKEN_CREATED", "alice", "alice", parent, now.minus(Duration.ofDays(30)).plusMillis(123), null);
        event(db, "TOKEN_REVOKED", "alice", "admin", tokens.get(2), now.minus(Duration.ofDays(3)).plusMillis(999),
                "by an admin");
        event(db, "LOGIN_FAILED", "carol", null, null, now.minus(Duration.ofHours(5)), "bad password");
        event(db, "TOKEN_EXPIRED", "carol", null, audited, now.minus(Duration.ofDays(2)).plusSeconds(61), null);
    }

    private void user(Connection db, String name, boolean admin, boolean disabled, Instant created, Instant changed)
            throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("USERNAME", name);
        values.put("PASSWORD_HASH", "pbkdf2-sha256$600000$c2FsdC0" + name + "$aGFzaC0" + name);
        values.put("IS_ADMIN", admin);
        values.put("CREATED_AT", created);
        if (has(db, "TA_USER", "DISABLED")) {
            values.put("DISABLED", disabled);
        }
        if (changed != null && has(db, "TA_USER", "PASSWORD_CHANGED_AT")) {
            values.put("PASSWORD_CHANGED_AT", changed);
        }
        insert(db, "TA_USER", values, false);
        users.add(new OldUser(name, values));
    }

    private OldToken token(Connection db, String kind, String owner, boolean works, Map<String, Object> values)
            throws SQLException {
        String plaintext = TokenFormat.generate(random);
        values.put("DIGEST", TokenFormat.digest(plaintext));
        values.put("DISPLAY_PREFIX", TokenFormat.displayPrefix(plaintext));
        values.put("OWNER", owner);
        long id = insert(db, "TA_TOKEN", values, true);
        values.put("ID", id);
        OldToken token = new OldToken(kind, plaintext, id, owner, works, values);
        tokens.add(token);
        return token;
    }

    private void event(Connection db, String type, String user, String actor, OldToken token, Instant at,
            String detail) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("EVENT", type);
        values.put("USERNAME", user);
        values.put("ACTING_USER", actor);
        values.put("OCCURRED_AT", at);
        values.put("CLIENT_ADDRESS", "192.0.2.7");
        values.put("DETAIL", detail);
        if (token != null) {
            values.put("TOKEN_ID", token.id());
            values.put("TOKEN_PREFIX", token.values().get("DISPLAY_PREFIX"));
        }
        long id = insert(db, "TA_AUDIT", values, true);
        values.put("ID", id);
        audit.put(id, values);
    }

    /** Inserts with a column list (the columns' order is the schema's own); returns the generated id. */
    private long insert(Connection db, String table, Map<String, Object> values, boolean generated)
            throws SQLException {
        List<String> columns = new ArrayList<>(values.keySet());
        List<String> stored = new ArrayList<>();
        for (String column : columns) {
            // From V6 a time X is X_MS, in milliseconds since the epoch.
            boolean millis = values.get(column) instanceof Instant && !has(db, table, column);
            stored.add(millis ? column + "_MS" : column);
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", stored) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        try (PreparedStatement insert = generated ? db.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                : db.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                Object value = values.get(columns.get(i));
                if (stored.get(i).endsWith("_MS") && value instanceof Instant instant) {
                    value = instant.toEpochMilli();
                }
                bind(db, insert, i + 1, table, stored.get(i), value);
            }
            insert.executeUpdate();
            if (!generated) {
                return 0;
            }
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private void bind(Connection db, PreparedStatement statement, int index, String table, String column,
            Object value) throws SQLException {
        if (value instanceof Instant instant) {
            statement.setTimestamp(index, Timestamp.from(instant));
        } else if (value instanceof Boolean flag) {
            String type = type(db, table, column).toLowerCase(Locale.ROOT);
            if (type.startsWith("bool")) {
                statement.setBoolean(index, flag);
            } else {
                statement.setInt(index, flag ? 1 : 0);
            }
        } else {
            statement.setObject(index, value);
        }
    }

    private static void update(Connection db, String sql, long value, long id) throws SQLException {
        try (PreparedStatement update = db.prepareStatement(sql)) {
            update.setLong(1, value);
            update.setLong(2, id);
            update.executeUpdate();
        }
    }

    /**
     * The differences between the rows written and those of the upgraded database, one line each (empty when every
     * row and value was kept): a time {@code X} must now be {@code X_MS}, the same instant; NULL must stay NULL; a
     * row must be neither lost nor added.
     */
    public List<String> differencesIn(Connection db) throws SQLException {
        List<String> differences = new ArrayList<>();
        Map<Object, Map<String, Object>> expectedTokens = new LinkedHashMap<>();
        tokens.forEach(t -> expectedTokens.put(t.id(), t.values()));
        compare(db, "TA_TOKEN", "ID", expectedTokens, differences);
        Map<Object, Map<String, Object>> expectedUsers = new LinkedHashMap<>();
        users.forEach(u -> expectedUsers.put(u.name(), u.values()));
        compare(db, "TA_USER", "USERNAME", expectedUsers, differences);
        if (!audit.isEmpty()) {
            compare(db, "TA_AUDIT", "ID", new LinkedHashMap<>(audit), differences);
        }
        return differences;
    }

    private static final List<String> TIMES = List.of("CREATED_AT", "EXPIRES_AT", "EXPIRY_NOTED_AT", "LAST_USED_AT",
            "REVOKED_AT", "PASSWORD_CHANGED_AT", "OCCURRED_AT");

    private static void compare(Connection db, String table, String key, Map<Object, Map<String, Object>> expected,
            List<String> differences) throws SQLException {
        Map<Object, Map<String, Object>> remaining = new LinkedHashMap<>(expected);
        try (Statement read = db.createStatement(); ResultSet rows = read.executeQuery("SELECT * FROM " + table)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                Map<String, Object> actual = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    actual.put(rows.getMetaData().getColumnName(i).toUpperCase(Locale.ROOT), rows.getObject(i));
                }
                Object id = normalised(actual.get(key));
                Map<String, Object> wanted = remaining.remove(id);
                if (wanted == null) {
                    differences.add(table + " " + key + "=" + id + ": a row that was not there before");
                    continue;
                }
                for (Map.Entry<String, Object> column : actual.entrySet()) {
                    String name = column.getKey();
                    Object want;
                    if (name.endsWith("_MS") && TIMES.contains(name.substring(0, name.length() - 3))) {
                        Object instant = wanted.get(name.substring(0, name.length() - 3));
                        want = instant == null ? null : ((Instant) instant).toEpochMilli();
                    } else {
                        want = wanted.get(name);
                        if (want == null && name.equals("DISABLED") && !wanted.containsKey("DISABLED")) {
                            continue; // added after the row was written: its default or NULL, both "not disabled"
                        }
                    }
                    Object got = normalised(column.getValue());
                    if (!Objects.equals(normalised(want), got)) {
                        differences.add(table + " " + key + "=" + id + " " + name + ": was " + want + ", is " + got);
                    }
                }
            }
        }
        remaining.keySet().forEach(id -> differences.add(table + " " + key + "=" + id + ": lost"));
    }

    /** Values as comparable Java values: every whole number a long, every flag a boolean (Derby's are SMALLINTs). */
    private static Object normalised(Object value) {
        if (value instanceof Boolean flag) {
            return flag ? 1L : 0L;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        return value;
    }

    /** Sets the JVM's zone for the writing, as the old server's. */
    public static void writtenIn(String zone) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
    }
}
