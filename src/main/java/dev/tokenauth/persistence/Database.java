package dev.tokenauth.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.config.TokenAuthConfig.DatabaseConfig;
import dev.tokenauth.token.TokenChanges;
import dev.tokenauth.token.ValidationCache;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import javax.sql.DataSource;

import dev.tokenauth.throttle.SharedAllowance;

/**
 * The application's database: brings its schema to this version's ({@link SchemaMigrations}), then opens the
 * persistence unit on it (the configured JDBC URL, embedded Derby in the data directory unless told otherwise), and
 * on close releases it so that a redeploy or restart never finds the database locked. It owns what every store on it shares: the units of
 * work ({@link Transactions}) and what they found of the database ({@link #availability}).
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    static final String PERSISTENCE_UNIT = "tokenauth";
    private static final String DERBY_EMBEDDED = "jdbc:derby:";
    private static final String DERBY_DRIVER = "org.apache.derby.iapi.jdbc.AutoloadedDriver";
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final String TARGET_DATABASE = "eclipselink.target-database";

    private final EntityManagerFactory factory;
    private final Target target;
    private final StoreAvailability availability;
    private final Transactions transactions;
    private final Duration timeout;
    private PostgreSqlChangeChannel changeChannel;
    private PostgreSqlSharedAllowance sharedAllowance;

    private Database(EntityManagerFactory factory, Target target, Clock clock, Duration timeout) {
        this.timeout = timeout;
        this.factory = factory;
        this.target = target;
        this.availability = new StoreAvailability(clock);
        this.transactions = new Transactions(factory, availability, target.embeddedDerby());
    }

    /**
     * Opens the database and checks that it answers, so that a bad configuration fails at start-up: the
     * container's DataSource when it offers one (see {@link ContainerDataSource}), else the configured JDBC URL,
     * else embedded Derby in the data directory.
     *
     * @param clock the time of the database's outages, as its {@link #availability} logs them
     */
    public static Database open(DatabaseConfig config, Clock clock) {
        Target target = ContainerDataSource.find(config.dataSource(), config.dataSourceRequired(),
                        ContainerDataSource.INITIAL_CONTEXT)
                .map(Database::containerTarget)
                .orElseGet(() -> jdbcTarget(config));
        String schemaVersion;
        try {
            schemaVersion = SchemaMigrations.migrate(target.dataSource(), config.legacyZone());
        } finally {
            if (target.embeddedDerby()) {
                EmbeddedDerbyThreads.release();
            }
        }
        Map<String, Object> properties = new HashMap<>(target.properties());
        properties.putAll(failFast(config.timeout(), target.container()));
        EntityManagerFactory factory = Persistence.createEntityManagerFactory(PERSISTENCE_UNIT, properties);
        Database database = new Database(factory, target, clock, config.timeout());
        try {
            // The first entity manager logs in: do it now, not on the first request.
            EntityManager em = factory.createEntityManager();
            em.close();
            CanonicalUsernames.migrate(database.transactions);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        LOG.info(() -> "Database open: " + redact(target.description()) + "; JPA provider: "
                + JpaProvider.describe(factory) + "; schema version " + schemaVersion);
        return database;
    }

    /**
     * What the persistence unit is opened on, how to open a connection of our own to it, and how to describe it in
     * the log.
     */
    private record Target(Map<String, Object> properties, Connections connections, boolean embeddedDerby,
            boolean postgreSql, String description) {
        boolean container() {
            return properties.containsKey("jakarta.persistence.nonJtaDataSource");
        }

        /** What the schema migrations run on: the server's pool, or connections of their own. */
        DataSource dataSource() {
            Object pool = properties.get("jakarta.persistence.nonJtaDataSource");
            return pool != null ? (DataSource) pool : new ConnectionsDataSource(connections);
        }
    }

    /**
     * Every wait on the database bounded by {@code tokenauth.db.timeout}, and no retries: a database that does not
     * answer refuses the request with 503 quickly, never holds it.
     */
    static Map<String, Object> failFast(Duration timeout, boolean containerPool) {
        long seconds = timeout.toSeconds();
        Map<String, Object> properties = new HashMap<>();
        properties.put("eclipselink.session.customizer", FailFastCustomizer.class.getName());
        properties.put("jakarta.persistence.query.timeout", Long.toString(seconds * 1000));
        if (!containerPool) {
            properties.put("eclipselink.jdbc.connections.wait-timeout", Long.toString(seconds * 1000));
        }
        return properties;
    }

    /** The server owns the pool and its connections; we neither configure nor shut it down. */
    private static Target containerTarget(ContainerDataSource container) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.nonJtaDataSource", container.dataSource());
        boolean postgreSql = isPostgreSql(container.dataSource());
        if (postgreSql) {
            properties.put(TARGET_DATABASE, PostgreSqlPlatform.class.getName());
        }
        return new Target(properties, container.dataSource()::getConnection, false, postgreSql,
                "container DataSource " + container.jndiName());
    }

    private static Target jdbcTarget(DatabaseConfig config) {
        String url = config.url();
        String description = url;
        if (url == null) {
            Path dir = config.dataDir().toAbsolutePath();
            createDirectories(dir);
            url = DERBY_EMBEDDED + dir.resolve("derby") + ";create=true";
            description = "embedded Derby in " + dir.resolve("derby");
            // Derby writes derby.log to the working directory unless told where; keep it with the data.
            if (System.getProperty("derby.stream.error.file") == null) {
                System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
            }
        }
        boolean embedded = embeddedDerby(url);
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.jdbc.url", url);
        properties.put("jakarta.persistence.jdbc.user", config.user());
        properties.put("jakarta.persistence.jdbc.password", config.password());
        String driver = config.driver();
        if (driver.isEmpty() && url.startsWith(DERBY_EMBEDDED)) {
            driver = embedded ? DERBY_DRIVER : "org.apache.derby.client.ClientAutoloadedDriver";
        }
        if (!driver.isEmpty()) {
            properties.put("jakarta.persistence.jdbc.driver", driver);
            loadDriver(driver);
        }
        if (embedded) {
            bootEmbeddedDerby();
        }
        boolean postgreSql = url.startsWith(POSTGRESQL);
        if (postgreSql) {
            properties.put(TARGET_DATABASE, PostgreSqlPlatform.class.getName());
        }
        // EclipseLink's own pool prepares each statement once per connection; otherwise every token lookup is
        // parsed and planned anew (in Derby, under a lock). A server DataSource caches statements itself (see
        // webapp-config/): EclipseLink's cache applies to its own pool only.
        properties.put("eclipselink.jdbc.cache-statements", "true");
        properties.put("eclipselink.jdbc.cache-statements.size", "64");
        String jdbcUrl = url;
        String user = config.user();
        String password = config.password();
        return new Target(properties, () -> DriverManager.getConnection(jdbcUrl, user, password), embedded, postgreSql,
                description);
    }

    /**
     * Loads the configured driver, which registers itself with DriverManager: the schema migrations connect before
     * EclipseLink, which would otherwise load it.
     */
    private static void loadDriver(String driver) {
        try {
            Class.forName(driver, true, Database.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("The JDBC driver " + driver + " (tokenauth.db.driver) cannot be loaded: "
                    + e, e);
        }
    }

    /**
     * Boots the embedded Derby engine if a {@link #close} of an earlier database of this class loader shut it down
     * (which also took its driver out of DriverManager): Derby's own way is a new instance of its EmbeddedDriver.
     */
    private static void bootEmbeddedDerby() {
        try {
            Class.forName("org.apache.derby.jdbc.EmbeddedDriver", true, Database.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            // derbytools is not there: the engine boots with its first connection, as it did before any shutdown
        }
    }

    /**
     * Whether {@code jdbcUrl} opens embedded Derby, in this JVM (not Derby's network client, {@code jdbc:derby://}):
     * the one answer to that question, which decides the driver, the per-thread release after each unit of work and
     * the engine's shutdown at close. A container's DataSource is never taken for embedded Derby: the server owns it.
     */
    static boolean embeddedDerby(String jdbcUrl) {
        return jdbcUrl.startsWith(DERBY_EMBEDDED) && !jdbcUrl.startsWith(DERBY_EMBEDDED + "//");
    }

    /**
     * Whether the server's DataSource is a PostgreSQL database, which needs {@link PostgreSqlPlatform}. If it
     * cannot be asked, the persistence unit's own log-in reports why, a moment later.
     */
    private static boolean isPostgreSql(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            return false;
        }
    }

    /** Whether the database answers within {@code timeoutSeconds}: a connection check, no table read. */
    public boolean answers(int timeoutSeconds) {
        EntityManager em = null;
        try {
            em = factory.createEntityManager();
            em.getTransaction().begin();
            boolean valid = em.unwrap(Connection.class).isValid(timeoutSeconds);
            em.getTransaction().rollback();
            return valid;
        } catch (RuntimeException | SQLException e) {
            return false;
        } finally {
            if (em != null) {
                if (em.getTransaction().isActive()) {
                    try {
                        em.getTransaction().rollback();
                    } catch (RuntimeException ignored) {
                        // the database is away; the answer is already false
                    }
                }
                em.close();
            }
            if (target.embeddedDerby()) {
                EmbeddedDerbyThreads.release();
            }
        }
    }

    /** The bound of every wait on this database ({@code tokenauth.db.timeout}). */
    Duration timeout() {
        return timeout;
    }

    /** The units of work on this database, for its stores. */
    Transactions transactions() {
        return transactions;
    }

    /**
     * Where this server announces the changes that end tokens, and from where {@code cache} learns of the other
     * servers' changes: on PostgreSQL, LISTEN/NOTIFY (unless {@code wanted} is false: a pooler in transaction mode
     * cannot LISTEN); elsewhere nothing, and the cache's age bounds what goes unseen.
     *
     * @param timeoutSeconds the longest check of the listening connection
     */
    public synchronized TokenChanges tokenChanges(ValidationCache cache, boolean wanted, int timeoutSeconds) {
        if (!target.postgreSql() || !wanted) {
            return TokenChanges.NONE;
        }
        if (changeChannel == null) {
            changeChannel = new PostgreSqlChangeChannel(target.connections(), transactions,
                    change -> change.applyTo(cache), cache::forgetAll, timeoutSeconds);
            if (pgjdbcVisible()) {
                changeChannel.start();
            } else {
                LOG.warning("PostgreSQL's driver (org.postgresql.PGConnection) is not visible to the application: it"
                        + " announces its token changes but cannot listen for the other servers'; they count here"
                        + " within the token cache's age");
            }
        }
        return changeChannel;
    }

    /**
     * The throttles' allowance shared by every node on this database: on PostgreSQL, its buckets in TA_THROTTLE_BUCKET,
     * each statement bounded by {@code timeout}; elsewhere (embedded Derby: one node) none, and each node counts alone.
     */
    public synchronized SharedAllowance sharedAllowance(Duration timeout, Clock clock) {
        if (!target.postgreSql()) {
            return SharedAllowance.NONE;
        }
        if (sharedAllowance == null) {
            sharedAllowance = new PostgreSqlSharedAllowance(target.dataSource(), timeout, clock);
        }
        return sharedAllowance;
    }

    /** Deletes the shared throttle's rows of buckets that are full again; how many (0 without a shared allowance). */
    public int purgeFullThrottleBuckets() {
        PostgreSqlSharedAllowance shared;
        synchronized (this) {
            shared = sharedAllowance;
        }
        return shared == null ? 0 : shared.purge();
    }

    private static boolean pgjdbcVisible() {
        try {
            Class.forName("org.postgresql.PGConnection", false, Database.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Derby's online backup of the embedded database into {@code directory} (which must not exist; Derby makes it
     * and writes the database's directory, {@code derby}, inside), while requests go on: Derby waits for the
     * transactions that are writing unlogged work, then copies. Empty for a server database, which has tools of its
     * own.
     */
    public Optional<DatabaseCopy> onlineBackup() {
        if (!target.embeddedDerby()) {
            return Optional.empty();
        }
        return Optional.of(directory -> {
            try (Connection connection = target.connections().open();
                    CallableStatement backup = connection.prepareCall("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE(?)")) {
                backup.setString(1, directory.toString());
                backup.execute();
            } finally {
                EmbeddedDerbyThreads.release();
            }
        });
    }

    /** Writes a whole copy of the database into a directory. */
    @FunctionalInterface
    public interface DatabaseCopy {
        void into(Path directory) throws SQLException;
    }

    /** Whether the database answered, as the operations on it found: no database access (for the metrics). */
    public StoreAvailability availability() {
        return availability;
    }

    @Override
    public synchronized void close() {
        if (changeChannel != null) {
            changeChannel.close();
            changeChannel = null;
        }
        if (factory.isOpen()) {
            factory.close();
        }
        if (target.embeddedDerby()) {
            shutDownDerby();
        }
    }

    /** A JDBC URL may carry a password as an attribute; never log one. */
    static String redact(String text) {
        return text.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the data directory " + dir, e);
        }
    }

    /**
     * Shuts down the Derby engine loaded by this application, which closes its databases cleanly and frees
     * the lock file. Derby reports a successful shutdown as an SQLException with state XJ015.
     */
    private static void shutDownDerby() {
        try {
            DriverManager.getConnection(DERBY_EMBEDDED + ";shutdown=true");
        } catch (SQLException e) {
            if ("XJ015".equals(e.getSQLState())) {
                LOG.info("Embedded Derby shut down");
            } else {
                LOG.log(Level.WARNING, "Embedded Derby did not shut down cleanly: " + e.getSQLState(), e);
            }
        }
    }
}
