package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the connection's schema holds. Tables are looked up in the JDBC metadata (a query of a missing table would
 * fail and, on PostgreSQL, end the transaction); Derby keeps unquoted names in upper case, PostgreSQL in lower, and
 * both are asked for. A table's columns come from an empty query of it, which Derby answers far faster than its
 * metadata.
 */
final class SchemaInspection {

    private SchemaInspection() {
    }

    static boolean hasTable(Connection connection, String table) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        String schema = connection.getSchema();
        for (String name : forms(table)) {
            try (ResultSet found = metadata.getTables(null, schema, name, new String[] {"TABLE"})) {
                if (found.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The table's columns in upper case with their types ({@code int4}, {@code BIGINT}); none if there is no table. */
    static Map<String, String> columns(Connection connection, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        if (!hasTable(connection, table)) {
            return columns;
        }
        try (Statement statement = connection.createStatement();
                ResultSet none = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData metadata = none.getMetaData();
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
                columns.put(metadata.getColumnName(i).toUpperCase(Locale.ROOT), metadata.getColumnTypeName(i));
            }
        }
        return columns;
    }

    static boolean hasIndex(Connection connection, String table, String index) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        String schema = connection.getSchema();
        for (int i = 0; i < 2; i++) {
            try (ResultSet found = metadata.getIndexInfo(null, schema, forms(table)[i], false, false)) {
                while (found.next()) {
                    if (forms(index)[i].equals(found.getString("INDEX_NAME"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String[] forms(String name) {
        return new String[] {name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)};
    }
}
