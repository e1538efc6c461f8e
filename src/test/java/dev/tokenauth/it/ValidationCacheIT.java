package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With the validation cache on (the default: a token's state is trusted for a second), a change made on this
 * server counts from the very next request: each test first uses the token a few times, so that it is cached.
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ValidationCacheIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private String alice;
    private Api aliceBrowser;

    @BeforeEach
    void aliceLogsIn() {
        alice = Users.create(base, "alice");
        aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);
    }

    /** Uses the token three times, the last two from the cache. */
    private String cachedToken() {
        String token = aliceBrowser.createToken(null);
        for (int i = 0; i < 3; i++) {
            assertJson(Api.client(base).get("api/whoami", Api.auth(token)), 200,
                    "{\"user\": \"" + alice + "\", \"success\": true}");
        }
        return token;
    }

    private long idOf(String token) {
        return aliceBrowser.get("api/tokens").json().getJsonArray("tokens").getValuesAs(jakarta.json.JsonObject.class)
                .stream().filter(t -> token.startsWith(t.getString("display_prefix")))
                .mapToLong(t -> t.getJsonNumber("id").longValue()).findFirst().orElseThrow();
    }

    @Test
    void aCachedTokenRevokedByItselfIsRefusedOnTheVeryNextRequest() {
        String token = cachedToken();

        assertJson(Api.client(base).postJson("api/revoke_token", "{\"token\": \"" + token + "\"}", Api.auth(token)),
                200, "{\"success\": true}");

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
    }

    @Test
    void aCachedTokenRevokedByIdFromTheSessionIsRefusedOnTheVeryNextRequest() {
        String token = cachedToken();

        assertJson(aliceBrowser.postJson("api/revoke_token", "{\"id\": " + idOf(token) + "}"), 200,
                "{\"success\": true}");

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
    }

    @Test
    void aCachedTokenRotatedWithoutGraceIsRefusedOnTheVeryNextRequest() {
        String token = cachedToken();

        Api.Reply rotated = Api.client(base).postJson("api/rotate_token", "{\"grace_seconds\": 0}", Api.auth(token));
        assertEquals(200, rotated.status(), rotated.body());

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(rotated.json().getString("token"))).status());
    }

    @Test
    void theCachedTokensOfAUserDisabledByAnAdminAreRefusedOnTheVeryNextRequest() {
        String first = cachedToken();
        String second = cachedToken();

        assertJson(Users.admin(base).postJson("api/users/disable", "{\"username\": \"" + alice + "\"}"), 200,
                "{\"revoked_tokens\": 2, \"success\": true}");

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(first)));
        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(second)));
    }
}
