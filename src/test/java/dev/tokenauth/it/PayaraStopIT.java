package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A normal stop of Payara Micro (SIGTERM, as an init system or a container runtime sends) writes what the
 * application holds in memory, as Tomcat's stop does: the last-use times that the background writer would write
 * only an hour later, and the refusals queued for the audit trail. Payara Micro is started here as an operator
 * starts it ({@code java -jar payara-micro.jar --deploy tokenauth.war}, clustering on), not by Arquillian, so that
 * the test can end the process itself and then read the embedded database it left.
 */
@Tag("container")
@Tag("payara-process")
class PayaraStopIT {

    private static final int PORT = 18880;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    @Test
    void aSigtermWritesThePendingLastUseTimesAndQueuedAuditEventsIntoTheDatabase() throws Exception {
        Path dir = Path.of(System.getProperty("tokenauth.it.dataDir")).resolveSibling("payara-stop");
        deleteTree(dir);
        Files.createDirectories(dir);
        Path log = dir.resolve("console.log");
        Process payara = new ProcessBuilder("java", "-Xmx512m",
                "-Dtokenauth.data.dir=" + dir.resolve("data"),
                "-Dtokenauth.admin.password=" + Deployments.adminPassword(),
                "-Dtokenauth.password.iterations=1000",
                "-Dtokenauth.token.lastused.interval=3600",
                "-jar", System.getProperty("tokenauth.it.payaraMicroJar"),
                "--deploy", System.getProperty("tokenauth.it.war"), "--contextroot", "/",
                "--port", Integer.toString(PORT), "--nohostaware",
                // A cluster of its own: the run's Arquillian Payara (a shared deployment, still up) is clustered too,
                // and the two found each other (this one's readiness then never came, once in a full run).
                "--clusterName", "tokenauth-payara-stop-" + ProcessHandle.current().pid())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String token;
        Instant used;
        try {
            URL base = URI.create("http://127.0.0.1:" + PORT + "/").toURL();
            awaitReady(payara, base, log);
            token = Users.admin(base).createToken(null);
            used = Instant.now();
            assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status());
            assertEquals(401, Api.client(base).get("api/whoami", Api.auth("tka_unknown")).status());
        } finally {
            payara.destroy();
            if (!payara.waitFor(90, TimeUnit.SECONDS)) {
                payara.destroyForcibly().waitFor();
            }
        }

        // No log line is asserted: Payara's log handlers and the JDK's LogManager are closed by their own shutdown
        // hooks, at the same time as ours, so its line may be lost. What it wrote is read from the database.
        try (Connection db = DriverManager.getConnection("jdbc:derby:" + dir.resolve("data/derby"))) {
            try (PreparedStatement read = db.prepareStatement(
                    "SELECT LAST_USED_AT_MS FROM TA_TOKEN WHERE DISPLAY_PREFIX = ?")) {
                read.setString(1, token.substring(0, 10));
                try (ResultSet rows = read.executeQuery()) {
                    assertTrue(rows.next());
                    long lastUse = rows.getLong(1);
                    assertTrue(!rows.wasNull() && lastUse >= used.toEpochMilli() - 1000,
                            "the use, written at the stop: " + lastUse);
                }
            }
            try (PreparedStatement read = db.prepareStatement("SELECT COUNT(*) FROM TA_TOKEN_ADDRESS a"
                    + " JOIN TA_TOKEN t ON t.ID = a.TOKEN_ID WHERE t.DISPLAY_PREFIX = ?")) {
                read.setString(1, token.substring(0, 10));
                try (ResultSet rows = read.executeQuery()) {
                    rows.next();
                    assertEquals(1, rows.getInt(1), "the address it was used from, written at the stop");
                }
            }
            try (ResultSet refused = db.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM TA_AUDIT WHERE EVENT = 'TOKEN_REFUSED'")) {
                refused.next();
                assertEquals(1, refused.getInt(1), "the refusal, queued for the audit trail, is stored");
            }
        } finally {
            try {
                DriverManager.getConnection("jdbc:derby:" + dir.resolve("data/derby") + ";shutdown=true");
            } catch (SQLException closed) {
                // 08006: closed, as asked
            }
        }
    }

    private static void awaitReady(Process payara, URL base, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!payara.isAlive()) {
                throw new AssertionError("Payara Micro exited:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            try {
                if (client.send(HttpRequest.newBuilder(base.toURI().resolve("health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Payara Micro not ready:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
