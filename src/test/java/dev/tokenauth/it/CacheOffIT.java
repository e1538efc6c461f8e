package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

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
 * With {@code tokenauth.token.cache.ttl=0} every request reads the store: a change that another process writes
 * into the shared database counts on the very next request. The test is that other process: it writes into the
 * run's PostgreSQL itself (the postgresql and payara-jndi runs only). With the default cache the same change counts
 * within the cache's age instead (README, "Several servers on one database").
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
class CacheOffIT {

    @Deployment(testable = false)
    static WebArchive warWithoutCache() {
        return Deployments.builtWarWith(Map.of("tokenauth.token.cache.ttl", 0));
    }

    @ArquillianResource
    URL base;

    private static int execute(String sql, String parameter) throws SQLException {
        try (Connection db = DriverManager.getConnection(System.getProperty("tokenauth.it.postgresqlUrl"), "tokenauth",
                System.getProperty("tokenauth.it.postgresqlPassword"));
                PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            return statement.executeUpdate();
        }
    }

    @Test
    void aRevocationWrittenIntoTheDatabaseByAnotherProcessCountsOnTheVeryNextRequest() throws Exception {
        String alice = Users.create(base, "alice");
        String token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status());
        }

        assertEquals(1, execute("UPDATE TA_TOKEN SET REVOKED_AT_MS = " + System.currentTimeMillis() + " WHERE OWNER = ?", alice));

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
    }

    @Test
    void aDisablingWrittenIntoTheDatabaseByAnotherProcessCountsOnTheVeryNextRequest() throws Exception {
        String bob = Users.create(base, "bob");
        String token = Api.browser(base).login(bob, Users.PASSWORD).createToken(null);
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status());

        assertEquals(1, execute("UPDATE TA_USER SET DISABLED = TRUE WHERE USERNAME = ?", bob));

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
    }
}
