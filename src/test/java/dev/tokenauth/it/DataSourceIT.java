package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The application stores its data in the server's DataSource {@code jdbc/tokenauth} when the server offers one
 * (the "jndi" run: src/test/tomcat-jndi/conf/context.xml puts that database in {@code <data dir>/container-db};
 * the "postgresql" and "payara-jndi" runs: a PostgreSQL server, which the test asks directly), and in its own embedded Derby
 * ({@code <data dir>/derby}) otherwise.
 */
@Tag("container")
@Tag("store")
@Tag("datasource")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DataSourceIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void theDataGoesToTheServersDataSourceWhenItHasOneAndToEmbeddedDerbyOtherwise() throws Exception {
        String dora = Users.create(base, "dora"); // a write, so that the database in use certainly holds data
        String containerDataSource = System.getProperty("tokenauth.it.containerDataSource");
        Path dataDir = Deployments.dataDir().toPath().toAbsolutePath();
        Path embedded = dataDir.resolve("derby");
        Path container = dataDir.resolve("container-db");

        List<String> opened = ServerLog.awaitMatches("Database open: (.+?); JPA provider");

        assertFalse(opened.isEmpty(), "the start-up log should name the database");
        if (containerDataSource != null) {
            assertEquals(Set.of("container DataSource " + containerDataSource), Set.copyOf(opened));
            String postgresql = System.getProperty("tokenauth.it.postgresqlUrl");
            if (postgresql != null) {
                assertEquals(1, usersNamed(dora, postgresql), "PostgreSQL should hold the new user");
            } else {
                assertTrue(Files.isDirectory(container.resolve("seg0")), "the server's database should hold the data");
            }
            assertFalse(Files.exists(embedded), "no embedded database should have been made beside the server's");
        } else {
            assertEquals(Set.of("embedded Derby in " + embedded), Set.copyOf(opened));
            assertTrue(Files.isDirectory(embedded.resolve("seg0")), "the embedded database should hold the data");
            assertFalse(Files.exists(container), "no server database is configured in this run");
        }
    }

    private static int usersNamed(String username, String url) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, "tokenauth",
                System.getProperty("tokenauth.it.postgresqlPassword"));
                PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM TA_USER WHERE USERNAME = ?")) {
            query.setString(1, username);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }
}
