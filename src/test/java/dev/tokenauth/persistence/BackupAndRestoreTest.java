package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tokenauth.admin.DatabaseBackups;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.config.TokenAuthConfig.DatabaseConfig;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenServiceFixture;

/**
 * The embedded database's online backup and its restore, as operations.md tells an operator: tokens are made, a
 * backup is taken while requests make and check more, more are made, the server stops, the database directory is
 * replaced by the backup's, and the server starts again. The backup's tokens work, the later ones do not.
 */
class BackupAndRestoreTest {

    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");

    /**
     * A Database's close shuts the embedded engine down, which takes Derby's driver out of DriverManager: boot it
     * again for the tests that follow in this JVM.
     */
    @AfterEach
    void bootDerbyAgain() throws ReflectiveOperationException {
        Class.forName("org.apache.derby.jdbc.EmbeddedDriver").getDeclaredConstructor().newInstance();
    }

    private static Database open(Path dataDir) {
        return Database.open(new DatabaseConfig("none", false, null, "", "", "", dataDir, Duration.ofSeconds(5),
                ZoneId.systemDefault()), Clock.systemUTC());
    }

    private static TokenService service(Database database) {
        return TokenServiceFixture.on(new JpaTokenStore(database))
                .audit(new AuditTrail(new JpaAuditStore(database))).build();
    }

    @Test
    void aBackupTakenUnderLoadRestoresTheTokensItHeldAndNotTheLaterOnes(@TempDir Path root) throws Exception {
        Path data = root.resolve("data");
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        Path backup;
        AtomicInteger madeDuringTheBackup = new AtomicInteger();
        try (Database database = open(data)) {
            TokenService tokens = service(database);
            for (int i = 0; i < 5; i++) {
                before.add(tokens.issue(ALICE, null, "before " + i).plaintext());
            }
            DatabaseBackups backups = DatabaseBackups.of(Optional.of(root.resolve("backups")), 3,
                    database.onlineBackup().map(copy -> copy::into), new AuditTrail(new JpaAuditStore(database)),
                    Clock.systemUTC());
            AtomicBoolean load = new AtomicBoolean(true);
            ExecutorService requests = Executors.newFixedThreadPool(2);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                running.add(requests.submit(() -> {
                    while (load.get()) {
                        String token = tokens.issue(Actor.self("bob", null, "192.0.2.2"), null, null).plaintext();
                        assertTrue(tokens.authenticate(token, "192.0.2.2").isPresent());
                        assertTrue(tokens.authenticate(before.get(0), "192.0.2.2").isPresent());
                        tokens.revoke(Actor.self("bob", null, "192.0.2.2"), TokenService.refTo(token));
                        madeDuringTheBackup.incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(200);
            backup = backups.backUp("admin", "192.0.2.3");
            load.set(false);
            for (Future<?> request : running) {
                request.get();
            }
            requests.shutdown();
            for (int i = 0; i < 5; i++) {
                after.add(tokens.issue(ALICE, null, "after " + i).plaintext());
            }
            assertTrue(after.stream().allMatch(t -> tokens.authenticate(t, "192.0.2.1").isPresent()));
        }
        assertTrue(madeDuringTheBackup.get() > 0, "requests went on during the backup");

        // The restore of operations.md: the database directory replaced by the backup's.
        deleteTree(data.resolve("derby"));
        copyTree(backup.resolve("derby"), data.resolve("derby"));

        try (Database restored = open(data)) {
            TokenService tokens = service(restored);
            for (String token : before) {
                assertTrue(tokens.authenticate(token, "192.0.2.1").isPresent(), "a token of the backup works");
            }
            for (String token : after) {
                assertEquals(Optional.empty(), tokens.authenticate(token, "192.0.2.1"), "a later token does not");
            }
            assertEquals(5, tokens.list("alice").size());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
