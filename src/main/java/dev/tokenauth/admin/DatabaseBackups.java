package dev.tokenauth.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;

/**
 * Online backups of the embedded database into {@code tokenauth.backup.dir}, on a schedule and when an admin asks,
 * while requests go on. Each backup is first written into {@code <name>.partial} and renamed to its name
 * ({@code tokenauth-20261202T101500.123Z}) only once the database has written all of it, so that a directory without
 * that suffix is always a whole backup; a failed one is deleted. The newest {@code keep} whole backups are kept.
 * Each backup, made or failed, is audited.
 */
public final class DatabaseBackups {

    private static final Logger LOG = Logger.getLogger(DatabaseBackups.class.getName());
    static final String PREFIX = "tokenauth-";
    static final String PARTIAL = ".partial";
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Writes a whole online backup of the database into a directory that does not exist yet. */
    @FunctionalInterface
    public interface OnlineCopy {
        void into(Path directory) throws Exception;
    }

    /** A backup that could not be made; nothing of it is left. */
    public static final class BackupFailed extends Exception {
        private static final long serialVersionUID = 1L;

        BackupFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path dir;
    private final int keep;
    private final OnlineCopy copy;
    private final String off;
    private final AuditTrail audit;
    private final Clock clock;

    private DatabaseBackups(Path dir, int keep, OnlineCopy copy, String off, AuditTrail audit, Clock clock) {
        this.dir = dir;
        this.keep = keep;
        this.copy = copy;
        this.off = off;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Backups into {@code dir} when one is set and the database can be copied online ({@code copy} present: embedded
     * Derby); otherwise none, and {@link #off()} says why.
     *
     * @throws IllegalArgumentException when {@code dir} cannot be made or written: at start, not at the first backup
     */
    public static DatabaseBackups of(Optional<Path> dir, int keep, Optional<OnlineCopy> copy, AuditTrail audit,
            Clock clock) {
        if (dir.isEmpty()) {
            return new DatabaseBackups(null, keep, null, "Backups are off: set tokenauth.backup.dir.", audit, clock);
        }
        if (copy.isEmpty()) {
            String why = "Backups apply to embedded Derby only: back this database up with its own tools (for"
                    + " PostgreSQL, pg_dump).";
            LOG.warning(() -> "tokenauth.backup.dir is set, but " + why.substring(0, 1).toLowerCase() + why.substring(1));
            return new DatabaseBackups(null, keep, null, why, audit, clock);
        }
        Path directory = dir.get().toAbsolutePath();
        try {
            Files.createDirectories(directory);
            Files.delete(Files.createTempFile(directory, ".write-check", ""));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("cannot be written: " + e, e);
        }
        return new DatabaseBackups(directory, keep, copy.get(), null, audit, clock);
    }

    /** Whether backups are made. */
    public boolean on() {
        return dir != null;
    }

    /** Why backups are not made; null when they are. */
    public String off() {
        return off;
    }

    /**
     * Makes a backup now and keeps the newest {@code keep}; returns where it went.
     *
     * @param user the admin who asked, or null for the schedule
     */
    public synchronized Path backUp(String user, String clientAddress) throws BackupFailed {
        if (!on()) {
            throw new IllegalStateException(off);
        }
        long started = clock.millis();
        Path target = dir.resolve(PREFIX + NAME.format(clock.instant()));
        Path partial = dir.resolve(target.getFileName() + PARTIAL);
        try {
            copy.into(partial);
            move(partial, target);
        } catch (Exception e) {
            deleteTree(partial);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            audit.recordNow(AuditEvent.of(clock.instant(), AuditType.BACKUP_FAILED, user, user, clientAddress,
                    why.length() > 200 ? why.substring(0, 200) : why));
            LOG.warning(() -> "The backup into " + dir + " failed, nothing of it is kept: " + why);
            throw new BackupFailed("The backup failed: " + why, e);
        }
        long millis = clock.millis() - started;
        audit.recordNow(AuditEvent.of(clock.instant(), AuditType.BACKUP_MADE, user, user, clientAddress,
                target.getFileName().toString()));
        LOG.info(() -> "Backup made in " + millis + " ms: " + target + (user == null ? " (scheduled)" : " (asked by "
                + user + ")"));
        prune();
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes whole backups beyond the newest {@code keep}, and partial ones a crash left. */
    private void prune() {
        List<Path> whole = backups();
        for (Path old : whole.subList(0, Math.max(0, whole.size() - keep))) {
            deleteTree(old);
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().startsWith(PREFIX)
                    && f.getFileName().toString().endsWith(PARTIAL)).forEach(DatabaseBackups::deleteTree);
        } catch (IOException e) {
            LOG.warning(() -> "Could not clean " + dir + ": " + e);
        }
    }

    /** The whole backups in the directory, oldest first. */
    List<Path> backups() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(PREFIX)
                    && !f.getFileName().toString().endsWith(PARTIAL) && Files.isDirectory(f))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warning(() -> "Could not delete " + root + ": " + e);
        }
    }
}
