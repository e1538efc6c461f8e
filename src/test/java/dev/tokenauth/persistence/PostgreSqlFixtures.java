package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL schema fixtures (src/test/resources/schemas/postgresql), for the tests that run on a server. */
public final class PostgreSqlFixtures {

    private PostgreSqlFixtures() {
    }

    /** Runs the statements of {@code fixture} (a path under schemas/postgresql) on {@code db}. */
    public static void run(Connection db, String fixture) throws SQLException {
        try (Statement ddl = db.createStatement()) {
            for (String statement : SchemaFixture.read(SchemaFixture.directory("schemas/postgresql").resolve(fixture))
                    .statements()) {
                ddl.execute(statement);
            }
        }
    }
}
