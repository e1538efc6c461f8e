package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.log.LogText;
import dev.tokenauth.token.TokenChange;
import dev.tokenauth.token.TokenChanges;

/**
 * The servers on one PostgreSQL database tell each other of the changes that end tokens with {@code NOTIFY}, and
 * each listens on a connection of its own with {@code LISTEN}, so that a revocation on one server empties the
 * others' validation caches within milliseconds rather than within the caches' age.
 * <p>
 * The listening connection is checked every few seconds and opened again when it fails (a restarted database, a
 * network cut): until it is back the cache's age is the bound, and once back the whole cache is dropped, since
 * what was announced meanwhile is lost. A notice is sent after the change has committed, in a transaction of its
 * own: if it cannot be sent, the change stands and the other servers see it within the cache's age.
 */
public final class PostgreSqlChangeChannel implements TokenChanges, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgreSqlChangeChannel.class.getName());
    /** The NOTIFY channel, one per database (the servers of one installation share it). */
    static final String CHANNEL = "tokenauth_token_changes";
    static final String APPLICATION_NAME = "tokenauth token changes";
    /** How long one wait for notices lasts: also how long a stop waits for the listener. */
    private static final int WAIT_MS = 200;
    /** A connection that has been quiet this long is asked whether it still answers. */
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);

    private final Connections connections;
    private final Transactions tx;
    private final Consumer<TokenChange> received;
    private final Runnable missedSome;
    private final int checkTimeoutSeconds;
    private final Thread listener;
    private volatile boolean open = true;

    /**
     * @param received   what to do with each change announced by any server on the database (this one included)
     * @param missedSome what to do when changes may have been missed: on each (re)connection
     */
    PostgreSqlChangeChannel(Connections connections, Transactions tx, Consumer<TokenChange> received,
            Runnable missedSome, int checkTimeoutSeconds) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.tx = Objects.requireNonNull(tx, "tx");
        this.received = Objects.requireNonNull(received, "received");
        this.missedSome = Objects.requireNonNull(missedSome, "missedSome");
        this.checkTimeoutSeconds = checkTimeoutSeconds;
        this.listener = new Thread(this::listen, "tokenauth-token-changes");
        this.listener.setDaemon(true);
    }

    void start() {
        listener.start();
    }

    @Override
    public void announce(TokenChange change) {
        try {
            tx.run("token change notice", em -> em.createNativeQuery("SELECT pg_notify(?1, ?2)")
                    .setParameter(1, CHANNEL)
                    .setParameter(2, change.message())
                    .getResultList());
        } catch (StoreUnavailableException e) {
            // Said once by StoreAvailability; the change itself is stored, and counts elsewhere within the cache's age.
        } catch (RuntimeException e) {
            // A fault of ours: said, but best effort still; the change is stored and counts within the cache's age.
            LOG.warning(() -> "Token change not announced: " + LogText.fault(e));
        }
    }

    private void listen() {
        Duration retry = FIRST_RETRY;
        long failedAttempts = 0;
        boolean everListened = false;
        while (open) {
            try (Connection connection = connections.open()) {
                try {
                    connection.setAutoCommit(true);
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LISTEN " + CHANNEL);
                        // What an operator sees of it in pg_stat_activity.
                        statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
                    }
                    PGConnection pg = connection.unwrap(PGConnection.class);
                    // Whatever was announced while nobody listened is lost: trust nothing read before now.
                    missedSome.run();
                    if (failedAttempts > 0) {
                        long failed = failedAttempts;
                        LOG.info(() -> "Token change channel listening again after " + failed
                                + " failed attempts; cached tokens were dropped");
                    } else if (!everListened) {
                        LOG.info(() -> "Token changes of the other servers arrive by LISTEN " + CHANNEL);
                    }
                    everListened = true;
                    failedAttempts = 0;
                    retry = FIRST_RETRY;
                    receive(connection, pg);
                } finally {
                    unlisten(connection);
                }
            } catch (SQLException | RuntimeException e) {
                if (!open) {
                    return;
                }
                if (failedAttempts++ == 0) {
                    LOG.warning(() -> "Token change channel down (" + StoreAvailability.rootCause(e)
                            + "); changes made on other servers count here within the token cache's age until it"
                            + " is back");
                }
                sleep(retry);
                retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            }
        }
    }

    /** Hands on every notice until the channel closes or the connection fails. */
    private void receive(Connection connection, PGConnection pg) throws SQLException {
        long quietSince = System.nanoTime();
        while (open) {
            PGNotification[] notices = pg.getNotifications(WAIT_MS);
            if (notices != null && notices.length > 0) {
                for (PGNotification notice : notices) {
                    TokenChange.parse(notice.getParameter()).ifPresent(received);
                }
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > CHECK_EVERY.toNanos()) {
                // A connection cut without a word (a firewall, a dead host) would otherwise wait for ever in silence.
                if (!connection.isValid(checkTimeoutSeconds)) {
                    throw new SQLException("the listening connection no longer answers");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /** A pooled connection goes back to the server's pool: it must not keep listening there. */
    private static void unlisten(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
            statement.execute("RESET application_name");
        } catch (SQLException | RuntimeException e) {
            // A broken connection listens to nothing; the pool discards it.
        }
    }

    private void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    /** Stops listening, within about one wait for notices. */
    @Override
    public void close() {
        open = false;
        listener.interrupt();
        try {
            listener.join(TimeUnit.SECONDS.toMillis(checkTimeoutSeconds) + 2 * WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
