package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Set;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every curl flow of the original API documentation, against the real WAR in a real Tomcat. */
@Tag("container")
@Tag("store")
@Tag("datasource")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DocumentedFlowsIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void createTokenWithoutLoginOrTokenAnswersNotLoggedIn() {
        assertNotLoggedIn(Api.client(base).post("api/create_token", null));
        assertNotLoggedIn(Api.client(base).get("api/create_token"));
    }

    @Test
    void aLoggedInBrowserUserCreatesTokensWithPostAndGet() {
        String alice = Users.create(base, "alice");
        Api browser = Api.browser(base).login(alice, Users.PASSWORD);

        Api.Reply viaPost = browser.post("api/create_token", null);
        Api.Reply viaGet = browser.get("api/create_token");

        for (Api.Reply reply : new Api.Reply[] {viaPost, viaGet}) {
            assertEquals(200, reply.status(), reply.body());
            assertEquals(Set.of("token", "id", "expires_at", "success"), reply.json().keySet());
            // The test server caps lifetimes at one year (see arquillian.xml): without a default, that cap applies.
            java.time.Instant expiresAt = java.time.Instant.parse(reply.json().getString("expires_at"));
            assertTrue(Math.abs(java.time.Duration.between(java.time.Instant.now().plusSeconds(31_536_000), expiresAt)
                    .toSeconds()) < 30, "expires_at one year ahead: " + expiresAt);
            assertTrue(reply.json().getBoolean("success"));
            assertEquals("no-store", reply.header("Cache-Control").orElse(null));
        }
        String fromPost = viaPost.json().getString("token");
        String fromGet = viaGet.json().getString("token");
        assertNotEquals(fromPost, fromGet, "each call issues a new token");
        assertJson(Api.client(base).get("api/whoami", Api.auth(fromPost)), 200,
                "{\"user\":\"" + alice + "\",\"success\":true}");
        assertJson(Api.client(base).get("api/whoami", Api.auth(fromGet)), 200,
                "{\"user\":\"" + alice + "\",\"success\":true}");
    }

    @Test
    void aTokenCreatesAnotherTokenForTheSameUser() {
        String alice = Users.create(base, "alice");
        String abc123 = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);

        String xyz789 = Api.client(base).createToken(abc123);

        assertNotEquals(abc123, xyz789);
        assertJson(Api.client(base).get("api/whoami", Api.auth(xyz789)), 200,
                "{\"user\":\"" + alice + "\",\"success\":true}");
    }

    @Test
    void theThreeDayRotationKeepsOneWorkingTokenAtEveryStep() {
        String alice = Users.create(base, "alice");
        Api curl = Api.client(base);
        String abc123 = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        String xyz789 = curl.createToken(abc123);

        // Day 2: the secondary revokes the primary, then creates the next secondary.
        assertJson(curl.postJson("api/revoke_token", "{\"token\":\"" + abc123 + "\"}", Api.auth(xyz789)), 200,
                "{\"success\":true}");
        assertInvalidToken(curl.get("api/whoami", Api.auth(abc123)));
        assertInvalidToken(curl.post("api/create_token", null, Api.auth(abc123)));
        assertEquals(200, curl.get("api/whoami", Api.auth(xyz789)).status());
        String def456 = curl.createToken(xyz789);

        // Day 3: the process repeats.
        assertJson(curl.postJson("api/revoke_token", "{\"token\":\"" + xyz789 + "\"}", Api.auth(def456)), 200,
                "{\"success\":true}");
        assertInvalidToken(curl.get("api/whoami", Api.auth(xyz789)));
        assertEquals(200, curl.get("api/whoami", Api.auth(def456)).status());
        String next = curl.createToken(def456);
        assertEquals(200, curl.get("api/whoami", Api.auth(next)).status());
    }

    @Test
    void aTokenMayRevokeItself() {
        String alice = Users.create(base, "alice");
        Api curl = Api.client(base);
        String token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);

        assertJson(curl.postJson("api/revoke_token", "{\"token\":\"" + token + "\"}", Api.auth(token)), 200,
                "{\"success\":true}");

        assertInvalidToken(curl.get("api/whoami", Api.auth(token)));
    }

    @Test
    void theSessionRevokesATokenAsCurlDoesWithACookieJar() {
        String alice = Users.create(base, "alice");
        Api browser = Api.browser(base).login(alice, Users.PASSWORD);
        String token = browser.createToken(null);

        assertJson(browser.postJson("api/revoke_token", "{\"token\":\"" + token + "\"}"), 200, "{\"success\":true}");

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
    }
}
