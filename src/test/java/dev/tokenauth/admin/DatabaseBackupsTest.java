package dev.tokenauth.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.audit.RecordingAuditStore;
import dev.tokenauth.token.MutableClock;

/** Backups are whole or absent, the newest are kept, each is audited, and a bad directory stops the start. */
class DatabaseBackupsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:15:00.123Z"));
    private final RecordingAuditStore store = new RecordingAuditStore();
    private final AuditTrail audit = new AuditTrail(store, clock);

    /** What Derby's online backup writes: the database directory inside the target. */
    private static final DatabaseBackups.OnlineCopy DERBY_LIKE = dir -> {
        Files.createDirectories(dir.resolve("derby"));
        Files.writeString(dir.resolve("derby/service.properties"), "whole");
    };

    private List<AuditEvent> events() {
        return store.query(new AuditQuery(null, 0, 100));
    }

    @Test
    void aBackupIsADirectoryNamedForItsTimeHoldingTheDatabaseAndIsAuditedWithWhoAskedAndFromWhere(
            @TempDir Path dir) throws Exception {
        DatabaseBackups backups = DatabaseBackups.of(Optional.of(dir), 7, Optional.of(DERBY_LIKE), audit, clock);

        Path backup = backups.backUp("admin", "192.0.2.5");

        assertEquals(dir.resolve("tokenauth-20261202T101500.123Z"), backup);
        assertEquals("whole", Files.readString(backup.resolve("derby/service.properties")));
        AuditEvent made = events().get(0);
        assertEquals(AuditType.BACKUP_MADE, made.type());
        assertEquals("admin", made.user());
        assertEquals("192.0.2.5", made.clientAddress());
        assertEquals("tokenauth-20261202T101500.123Z", made.detail());
    }

    @Test
    void aFailedBackupLeavesNothingThatReadsAsABackupAndIsAuditedWithWhy(@TempDir Path dir) throws Exception {
        DatabaseBackups backups = DatabaseBackups.of(Optional.of(dir), 7, Optional.of(target -> {
            Files.createDirectories(target.resolve("derby/seg0"));
            Files.writeString(target.resolve("derby/seg0/c10.dat"), "half");
            throw new IOException("No space left on device");
        }), audit, clock);

        DatabaseBackups.BackupFailed failed = assertThrows(DatabaseBackups.BackupFailed.class,
                () -> backups.backUp(null, null));

        assertEquals("The backup failed: No space left on device", failed.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "neither a backup nor its partial directory is left");
        }
        assertEquals(AuditType.BACKUP_FAILED, events().get(0).type());
        assertEquals("No space left on device", events().get(0).detail());
    }

    @Test
    void theNewestBackupsAreKeptAndTheOlderOnesAndLeftoverPartialOnesDeleted(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tokenauth-20261101T000000.000Z.partial/derby"));
        Files.createDirectories(dir.resolve("not-ours"));
        DatabaseBackups backups = DatabaseBackups.of(Optional.of(dir), 2, Optional.of(DERBY_LIKE), audit, clock);

        Path first = backups.backUp(null, null);
        clock.advance(Duration.ofHours(1));
        Path second = backups.backUp(null, null);
        clock.advance(Duration.ofHours(1));
        Path third = backups.backUp(null, null);

        assertFalse(Files.exists(first));
        assertEquals(List.of(second, third), backups.backups());
        assertTrue(Files.isDirectory(dir.resolve("not-ours")), "what is not a backup of ours is left alone");
        assertFalse(Files.exists(dir.resolve("tokenauth-20261101T000000.000Z.partial")));
    }

    @Test
    void aDirectoryThatCannotBeMadeStopsTheStartWithWhy(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "");

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> DatabaseBackups.of(
                Optional.of(file.resolve("backups")), 7, Optional.of(DERBY_LIKE), audit, clock));

        assertEquals("cannot be written: java.nio.file.FileSystemException: " + file.resolve("backups")
                + ": Not a directory", bad.getMessage());
    }

    @Test
    void withoutADirectoryOrOnAServerDatabaseThereAreNoBackupsAndTheReasonIsGiven(@TempDir Path dir) {
        DatabaseBackups unset = DatabaseBackups.of(Optional.empty(), 7, Optional.of(DERBY_LIKE), audit, clock);
        DatabaseBackups server = DatabaseBackups.of(Optional.of(dir), 7, Optional.empty(), audit, clock);

        assertFalse(unset.on());
        assertEquals("Backups are off: set tokenauth.backup.dir.", unset.off());
        assertFalse(server.on());
        assertEquals("Backups apply to embedded Derby only: back this database up with its own tools (for"
                + " PostgreSQL, pg_dump).", server.off());
    }
}
