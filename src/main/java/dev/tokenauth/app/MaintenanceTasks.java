package dev.tokenauth.app;

import dev.tokenauth.log.LogText;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.admin.DatabaseBackups;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.token.TokenService;

/**
 * The background work, on one thread of its own so that it never holds up a request: writing last-use times
 * and queued audit events, noting expiries, and purging ended tokens.
 */
final class MaintenanceTasks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MaintenanceTasks.class.getName());
    /** Queued audit events (refused tokens) are stored at least this often. */
    private static final Duration AUDIT_FLUSH_INTERVAL = Duration.ofSeconds(5);

    private final TokenService tokens;
    private final AuditTrail audit;
    private final ScheduledExecutorService executor;
    private final Thread stopHook = new Thread(this::closeAtJvmStop, "tokenauth-stop");
    private boolean closed;

    MaintenanceTasks(TokenService tokens, AuditTrail audit, Duration lastUseInterval, Duration purgeInterval) {
        this.tokens = tokens;
        this.audit = audit;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tokenauth-maintenance");
            t.setDaemon(true);
            return t;
        });
        schedule("last-use write", tokens::flushLastUse, lastUseInterval);
        schedule("expiry check", tokens::noteExpired, lastUseInterval);
        schedule("audit write", audit::flush, AUDIT_FLUSH_INTERVAL);
        schedule("purge", () -> {
            int purged = tokens.purge();
            if (purged > 0) {
                LOG.info(() -> "Purged " + purged + " revoked or expired tokens past their retention");
            }
        }, purgeInterval);
    }

    /** Online backups every {@code every}; each failure is logged and audited by the backups themselves. */
    void scheduleBackups(DatabaseBackups backups, Duration every) {
        schedule("backup", () -> {
            try {
                backups.backUp(null, null);
            } catch (DatabaseBackups.BackupFailed e) {
                // said by the backups, once per failed backup
            }
        }, every);
    }

    /** Another task of the same thread, every {@code every}; a failed run is said once and retried. */
    void schedule(String name, Runnable task, Duration every) {
        long ms = Math.max(every.toMillis(), 1000);
        AtomicLong failedRuns = new AtomicLong();
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
                long failed = failedRuns.getAndSet(0);
                if (failed > 0) {
                    LOG.info(() -> "Background " + name + " works again after " + failed + " failed runs");
                }
            } catch (RuntimeException e) {
                // A failed run (the database is away) must not cancel the schedule: the next run retries. Said
                // once, not every run for as long as the failure lasts; a fault of the program by its name, since it
                // comes as itself, not as the store's unavailability (which the store logs).
                if (failedRuns.getAndIncrement() == 0) {
                    String why = e instanceof StoreUnavailableException ? LogText.escape(e.getMessage())
                            : LogText.fault(e);
                    LOG.warning(() -> "Background " + name + " failed (" + why + "); will retry every "
                            + every.toSeconds() + " s");
                }
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes what is pending when the JVM stops, also where the server ends the process without stopping the
     * application first: Payara Micro, on SIGTERM, never calls {@code contextDestroyed} of a distributable WAR. The
     * hook and {@link #close} write once between them, whichever comes first; {@link #close} at an undeploy removes
     * the hook, so that nothing of a gone application stays registered with the JVM.
     */
    void writeAtJvmStop() {
        Runtime.getRuntime().addShutdownHook(stopHook);
    }

    private void closeAtJvmStop() {
        if (close(true)) {
            LOG.info("The JVM is stopping: pending last-use times and audit events written");
        }
    }

    /** Stops the schedule and writes what is pending, before the database closes; once. */
    @Override
    public void close() {
        close(false);
    }

    private synchronized boolean close(boolean jvmStopping) {
        if (closed) {
            return false;
        }
        closed = true;
        if (!jvmStopping) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException stopping) {
                // The JVM is stopping: the hook runs now or soon, and finds this close done.
            }
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Each on its own: in a JVM shutdown hook (Payara Micro's SIGTERM) the web application's class loader loads
        // nothing more, so a path not taken before the stop can fail with a LinkageError, and must not keep the
        // other from being written.
        try {
            tokens.flushLastUse();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Pending last-use times could not be written at shutdown", e);
        }
        try {
            audit.flush(true);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Pending audit events could not be written at shutdown", e);
        }
        return true;
    }
}
