package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** revoke_token: only the caller's own tokens, one 404 for everything else, bad input refused unchanged. */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RevokeTokenIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api curl;
    private String aliceToken;
    private String bobToken;
    private List<JsonObject> aliceTokensBefore;
    private List<JsonObject> bobTokensBefore;

    @BeforeEach
    void aliceAndBobEachHaveATokens() {
        curl = Api.client(base);
        aliceToken = Api.browser(base).login(Users.create(base, "alice"), Users.PASSWORD).createToken(null);
        bobToken = Api.browser(base).login(Users.create(base, "bob"), Users.PASSWORD).createToken(null);
        aliceTokensBefore = tokensOf(aliceToken);
        bobTokensBefore = tokensOf(bobToken);
    }

    /** The owner's tokens, less their last-use times (which reading the list with a token itself changes). */
    private List<JsonObject> tokensOf(String token) {
        Api.Reply reply = curl.get("api/tokens", Api.auth(token));
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("tokens").getValuesAs(JsonObject.class).stream()
                .map(t -> Json.createObjectBuilder(t).remove("last_used_at").remove("used_from").build())
                .toList();
    }

    private void assertNothingChanged() {
        assertEquals(aliceTokensBefore, tokensOf(aliceToken), "alice's tokens should be unchanged");
        assertEquals(bobTokensBefore, tokensOf(bobToken), "bob's tokens should be unchanged");
    }

    private Api.Reply revoke(String body, String asToken) {
        return curl.postJson("api/revoke_token", body, Api.auth(asToken));
    }

    @Test
    void bobCannotRevokeAlicesTokenNorTellThatItExists() {
        Api.Reply others = revoke("{\"token\":\"" + aliceToken + "\"}", bobToken);
        Api.Reply unknown = revoke("{\"token\":\"tka_" + "1".repeat(49) + "\"}", bobToken);
        Api.Reply garbage = revoke("{\"token\":\"not a token\"}", bobToken);

        for (Api.Reply reply : List.of(others, unknown, garbage)) {
            assertFailure(reply, 404, "Token not found.");
        }
        assertEquals(unknown.body(), others.body(), "another user's token must look exactly like an unknown one");
        assertNothingChanged();
    }

    @Test
    void aTokenIsRevokedByIdByItsOwnerOnly() {
        long aliceId = aliceTokensBefore.get(0).getJsonNumber("id").longValue();
        assertFailure(revoke("{\"id\":" + aliceId + "}", bobToken), 404, "Token not found.");
        assertNothingChanged();

        assertJson(revoke("{\"id\":" + aliceId + "}", aliceToken), 200, "{\"success\":true}");
        ApiAssertions.assertInvalidToken(curl.get("api/whoami", Api.auth(aliceToken)));
    }

    @Test
    void anAlreadyRevokedTokenIsNotFound() {
        String second = curl.createToken(aliceToken);
        assertJson(revoke("{\"token\":\"" + second + "\"}", aliceToken), 200, "{\"success\":true}");

        assertFailure(revoke("{\"token\":\"" + second + "\"}", aliceToken), 404, "Token not found.");
        assertNothingChanged();
    }

    @Test
    void revokingRemovesTheTokenFromTheOwnersListAndNothingElse() {
        String second = curl.createToken(aliceToken);
        assertEquals(aliceTokensBefore.size() + 1, tokensOf(aliceToken).size());

        assertJson(revoke("{\"token\":\"" + second + "\"}", aliceToken), 200, "{\"success\":true}");

        assertNothingChanged();
    }

    @Test
    void malformedBodiesAreRefusedWithA400ThatSaysWhatIsWrong() {
        assertFailure(revoke("not json", aliceToken), 400, "Request body is not valid JSON.");
        assertFailure(revoke("", aliceToken), 400, "Missing field: token.");
        assertFailure(revoke("{\"token\":", aliceToken), 400, "Request body is not valid JSON.");
        assertFailure(revoke("[\"" + aliceToken + "\"]", aliceToken), 400, "Request body must be a JSON object.");
        assertFailure(revoke("\"" + aliceToken + "\"", aliceToken), 400, "Request body must be a JSON object.");
        assertFailure(revoke("{}", aliceToken), 400, "Missing field: token.");
        assertFailure(revoke("{\"tokens\":\"" + aliceToken + "\"}", aliceToken), 400,
                "Unknown field 'tokens'; this request reads id, token.");
        assertFailure(revoke("{\"token\":42}", aliceToken), 400, "Field 'token' must be a string.");
        assertFailure(revoke("{\"token\":null}", aliceToken), 400, "Field 'token' must be a string.");
        assertFailure(revoke("{\"token\":[\"" + aliceToken + "\"]}", aliceToken), 400, "Field 'token' must be a string.");
        assertFailure(revoke("{\"id\":\"1\"}", aliceToken), 400, "Field 'id' must be a whole number.");
        assertFailure(revoke("{\"id\":1,\"token\":\"" + aliceToken + "\"}", aliceToken), 400,
                "Give either token or id, not both.");
        assertNothingChanged();
    }

    @Test
    void aBodyOver64KiBIsRefusedWith413() {
        String padding = " ".repeat(64 * 1024);
        assertFailure(revoke("{\"token\":\"" + aliceToken + "\"}" + padding, aliceToken), 413,
                "Request body is larger than 65536 bytes.");
        assertNothingChanged();
    }

    @Test
    void aChunkedBodyOver64KiBIsRefusedWith413() {
        byte[] body = ("{\"token\":\"" + aliceToken + "\"}" + " ".repeat(64 * 1024)).getBytes();
        // A publisher of unknown length makes the client send the body chunked, without Content-Length.
        Api.Reply reply = curl.send("POST", "api/revoke_token",
                BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)),
                "Content-Type", "application/json", "Authorization", "Token " + aliceToken);
        assertFailure(reply, 413, "Request body is larger than 65536 bytes.");
        assertNothingChanged();
    }

    @Test
    void otherMethodsAreRefusedWith405AndAnAllowHeader() {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            Api.Reply reply = curl.send(method, "api/revoke_token",
                    BodyPublishers.ofString("{\"token\":\"" + aliceToken + "\"}"), Api.auth(aliceToken));
            assertFailure(reply, 405, "Method " + method + " not allowed; use POST.");
            assertEquals("POST", reply.header("Allow").orElse(null));
        }
        assertNothingChanged();
    }
}
