package dev.tokenauth.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DDL fixture under {@code src/test/resources/schemas} (see its README): its statements, the schema they declare,
 * and the schema a database actually has, in one shape so that the two compare with {@code equals}.
 */
final class SchemaFixture {

    /** A column as declared or found; the default only as the literal of a {@code DEFAULT} clause. */
    record Column(String name, String type, boolean nullable, boolean identity, String defaultValue) {
    }

    record Index(boolean unique, List<String> columns) {
    }

    /** Columns in their order; indexes by name, without the one that backs the primary key. */
    record Table(List<Column> columns, List<String> primaryKey, Map<String, Index> indexes) {
    }

    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE (\\w+) \\((.*)\\)");
    private static final Pattern ADD_COLUMN = Pattern.compile("ALTER TABLE (\\w+) ADD (.*)");
    private static final Pattern DROP_COLUMN = Pattern.compile("ALTER TABLE (\\w+) DROP COLUMN (\\w+)");
    private static final Pattern CREATE_INDEX = Pattern.compile("CREATE (UNIQUE )?INDEX (\\w+) ON (\\w+) \\((.*)\\)");
    private static final Pattern PRIMARY_KEY = Pattern.compile("PRIMARY KEY \\((.*)\\)");
    private static final Pattern DEFAULT = Pattern.compile(" DEFAULT (\\S+)");

    private final List<String> statements;

    private SchemaFixture(List<String> statements) {
        this.statements = statements;
    }

    /** The directory of the fixtures on the test class path, e.g. {@code schemas/derby}. */
    static Path directory(String resource) {
        URL url = SchemaFixture.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("No " + resource + " on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a fixture: {@code --} lines are comments, every statement ends with {@code ;}. */
    static SchemaFixture read(Path file) {
        try {
            StringBuilder text = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("--")) {
                    text.append(line).append('\n');
                }
            }
            List<String> statements = Arrays.stream(text.toString().split(";"))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            return new SchemaFixture(statements);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> statements() {
        return statements;
    }

    /**
     * The tables that the statements make, by name. Only the statement shapes EclipseLink and the start-up
     * migrations wrote are understood; any other is an error, so that nothing a fixture declares goes unchecked.
     */
    Map<String, Table> declared() {
        Map<String, Table> tables = new TreeMap<>();
        for (String statement : statements) {
            Matcher m;
            if ((m = CREATE_TABLE.matcher(statement)).matches()) {
                List<Column> columns = new ArrayList<>();
                List<String> primaryKey = List.of();
                for (String definition : topLevelParts(m.group(2))) {
                    Matcher pk = PRIMARY_KEY.matcher(definition);
                    if (pk.matches()) {
                        primaryKey = names(pk.group(1));
                    } else {
                        columns.add(column(definition));
                    }
                }
                tables.put(m.group(1), new Table(columns, primaryKey, new TreeMap<>()));
            } else if ((m = ADD_COLUMN.matcher(statement)).matches()) {
                table(tables, m.group(1), statement).columns().add(column(m.group(2)));
            } else if ((m = DROP_COLUMN.matcher(statement)).matches()) {
                String dropped = m.group(2);
                if (!table(tables, m.group(1), statement).columns().removeIf(c -> c.name().equals(dropped))) {
                    throw new IllegalArgumentException("No column " + dropped + " to drop: " + statement);
                }
            } else if ((m = CREATE_INDEX.matcher(statement)).matches()) {
                table(tables, m.group(3), statement).indexes()
                        .put(m.group(2), new Index(m.group(1) != null, names(m.group(4))));
            } else {
                throw new IllegalArgumentException("A statement the fixture check does not understand: " + statement);
            }
        }
        return tables;
    }

    /** The tables of the connection's schema as DatabaseMetaData describes them, in the shape of {@link #declared}. */
    static Map<String, Table> actual(Connection db) throws SQLException {
        DatabaseMetaData metadata = db.getMetaData();
        String schema = db.getSchema();
        Map<String, Table> tables = new TreeMap<>();
        try (ResultSet found = metadata.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (found.next()) {
                String name = found.getString("TABLE_NAME");
                tables.put(name, table(metadata, schema, name));
            }
        }
        return tables;
    }

    private static Table table(DatabaseMetaData metadata, String schema, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (ResultSet c = metadata.getColumns(null, schema, table, "%")) {
            while (c.next()) {
                String type = c.getString("TYPE_NAME");
                if (type.endsWith("CHAR") || type.equals("BLOB")) {
                    // A BLOB's size too: Derby's is what the DDL declared (EclipseLink's BLOB(2147483647) for a byte[]).
                    type += "(" + c.getInt("COLUMN_SIZE") + ")";
                }
                boolean identity = "YES".equals(c.getString("IS_AUTOINCREMENT"));
                columns.add(new Column(c.getString("COLUMN_NAME"), type, "YES".equals(c.getString("IS_NULLABLE")),
                        identity, identity ? null : c.getString("COLUMN_DEF")));
            }
        }
        Map<Short, String> keyColumns = new TreeMap<>();
        String keyName = null;
        try (ResultSet pk = metadata.getPrimaryKeys(null, schema, table)) {
            while (pk.next()) {
                keyColumns.put(pk.getShort("KEY_SEQ"), pk.getString("COLUMN_NAME"));
                keyName = pk.getString("PK_NAME");
            }
        }
        Map<String, List<String>> indexColumns = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        try (ResultSet ix = metadata.getIndexInfo(null, schema, table, false, false)) {
            while (ix.next()) {
                String name = ix.getString("INDEX_NAME");
                if (name == null || name.equals(keyName)) {
                    continue;
                }
                indexColumns.computeIfAbsent(name, n -> new ArrayList<>()).add(ix.getString("COLUMN_NAME"));
                unique.put(name, !ix.getBoolean("NON_UNIQUE"));
            }
        }
        Map<String, Index> indexes = new TreeMap<>();
        indexColumns.forEach((name, cols) -> indexes.put(name, new Index(unique.get(name), cols)));
        return new Table(columns, List.copyOf(keyColumns.values()), indexes);
    }

    private static Table table(Map<String, Table> tables, String name, String statement) {
        Table table = tables.get(name);
        if (table == null) {
            throw new IllegalArgumentException("No table " + name + " before: " + statement);
        }
        return table;
    }

    private static Column column(String definition) {
        String[] words = definition.strip().split(" +");
        boolean identity = definition.contains("GENERATED BY DEFAULT AS IDENTITY");
        Matcher defaultValue = DEFAULT.matcher(definition);
        return new Column(words[0], words[1].toUpperCase(Locale.ROOT), !definition.contains("NOT NULL"), identity,
                !identity && defaultValue.find() ? defaultValue.group(1) : null);
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).toList();
    }

    /** Splits at the commas outside parentheses: {@code VARCHAR(64)} and {@code PRIMARY KEY (ID)} stay whole. */
    private static List<String> topLevelParts(String definitions) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < definitions.length(); i++) {
            char ch = definitions.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                parts.add(definitions.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(definitions.substring(start).strip());
        return parts;
    }
}
