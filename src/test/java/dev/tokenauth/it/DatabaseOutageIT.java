package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database goes away and comes back (the postgresql run stops its PostgreSQL server and starts it again, so
 * this class runs last): requests that need it are refused with 503 JSON, never let through and never held; the
 * log says so once, not per request; the application recovers on its own. The times measured are printed
 * (OUTAGE lines in the build's output), not asserted: these machines are shared.
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.LAST)
@RunAsClient
class DatabaseOutageIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private static long linesContaining(String text) throws IOException {
        return linesWhere(l -> l.contains(text));
    }

    /** Lines of a stack trace ("\tat org.example.Class.method(...)"). */
    private static long stackLines() throws IOException {
        return linesWhere(l -> l.startsWith("\tat ") || l.startsWith("\t\tat "));
    }

    private static long linesWhere(java.util.function.Predicate<String> which) throws IOException {
        long count = 0;
        try (Stream<Path> files = Files.walk(Deployments.serverLogs().toPath())) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().contains("catalina")).toList()) {
                count += Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream().filter(which).count();
            }
        }
        return count;
    }

    @Test
    void aStoppedDatabaseIsRefusedWith503WithoutALogLinePerRequestAndTheServiceRecoversOnItsOwn() throws Exception {
        String alice = Users.create(base, "alice");
        // Never presented before the outage, so no cache entry can answer for it.
        String token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        long unavailableBefore = linesContaining("Database unavailable");
        long backBefore = linesContaining("Database available again");
        long stackBefore = stackLines();
        List<Long> refusals = new ArrayList<>();

        PostgreSqlServer.run("stop");
        try {
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                Api.Reply reply = Api.client(base).get("api/whoami", Api.auth(token));
                refusals.add((System.nanoTime() - start) / 1_000_000);
                assertFailure(reply, 503, "Service unavailable, try again later.");
            }
            assertJson(Api.client(base).get("health/ready"), 503,
                    "{\"status\": \"DOWN\", \"checks\": [{\"name\": \"database\", \"status\": \"DOWN\"}]}");
            assertJson(Api.client(base).get("health/live"), 200, "{\"status\": \"UP\", \"checks\": []}");
            Thread.sleep(1000); // Tomcat writes its log from a background thread
            assertEquals(1, linesContaining("Database unavailable") - unavailableBefore,
                    "one line for the outage, not one per refused request");
            assertEquals(0, stackLines() - stackBefore, "no stack trace (EclipseLink wrote one per request)");
        } finally {
            PostgreSqlServer.run("resume");
        }
        long resumed = System.nanoTime();
        Api.Reply reply;
        do {
            Thread.sleep(100);
            reply = Api.client(base).get("api/whoami", Api.auth(token));
        } while (reply.status() != 200 && System.nanoTime() - resumed < 60_000_000_000L);
        long recoveryMillis = (System.nanoTime() - resumed) / 1_000_000;

        assertJson(reply, 200, "{\"user\": \"" + alice + "\", \"success\": true}");
        Thread.sleep(1000);
        assertEquals(1, linesContaining("Database available again") - backBefore, "one line when it is back");
        System.out.println("OUTAGE: 20 refusals with the database stopped, 503 after " + refusals + " ms (max "
                + refusals.stream().mapToLong(Long::longValue).max().orElse(0) + " ms); answering again "
                + recoveryMillis + " ms after the database was back");
    }
}
