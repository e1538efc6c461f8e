package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A schema migration of ours written in Java, where SQL alone cannot say it (it reads the schema, or needs a
 * setting): its version and description given, not parsed from a class name; its checksum its version, so that an
 * applied one validates as long as it is not renumbered; in the one transaction Flyway gives it.
 */
abstract class JavaSchemaMigration implements JavaMigration {

    private final int version;
    private final String description;

    JavaSchemaMigration(int version, String description) {
        this.version = version;
        this.description = description;
    }

    @Override
    public final MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(Integer.toString(version));
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return version;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
