package dev.tokenauth.persistence;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Flyway's log, kept quiet: its warnings and errors go to the application's log, its progress does not (a start
 * writes a dozen lines of it). {@link SchemaMigrations} writes one line per migration applied instead. Named in
 * Flyway's {@code loggers} setting, which instantiates it.
 */
public final class FlywayLog implements LogCreator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    @Override
    public Log createLogger(Class<?> clazz) {
        return new Log() {
            @Override
            public boolean isDebugEnabled() {
                return false;
            }

            @Override
            public void debug(String message) {
                // progress: not logged
            }

            @Override
            public void info(String message) {
                // progress: not logged
            }

            @Override
            public void warn(String message) {
                // Flyway names the Derby release it was last verified with (10.15) at every start; the upgrade tests
                // are what verify the one we ship.
                LOG.log(message.contains("has been verified with") ? Level.FINE : Level.WARNING, () -> "Flyway: " + message);
            }

            @Override
            public void error(String message) {
                LOG.severe(() -> "Flyway: " + message);
            }

            @Override
            public void error(String message, Exception e) {
                LOG.log(Level.SEVERE, "Flyway: " + message, e);
            }

            @Override
            public void notice(String message) {
                // Flyway's editions and upgrade notices: not logged
            }
        };
    }
}
