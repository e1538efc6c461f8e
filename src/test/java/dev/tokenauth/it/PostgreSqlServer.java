package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

/**
 * The postgresql and several-nodes runs' PostgreSQL server, as src/test/postgresql/server.sh controls it: stop and
 * resume (a stopped database), freeze and thaw (a hung one).
 */
final class PostgreSqlServer {

    private PostgreSqlServer() {
    }

    /** Runs {@code server.sh <action>} on the run's server; fails the test with its output if it fails. */
    static void run(String action) throws Exception {
        Process p = new ProcessBuilder("bash", System.getProperty("tokenauth.it.postgresqlServerScript"), action,
                System.getProperty("tokenauth.it.databaseFiles"), System.getProperty("tokenauth.it.postgresqlPort"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "server.sh " + action + ": " + output);
    }
}
