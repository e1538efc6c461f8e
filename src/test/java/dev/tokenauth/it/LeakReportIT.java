package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tokenauth.token.TokenFormat;
import jakarta.json.JsonObject;

/**
 * Leaked tokens reported by anyone (issue 25): {@code POST /api/credentials/revoke}, unauthenticated, revokes each
 * active token it is given and answers the same whatever it held. Its throttle is tested from a loopback address of
 * its own, so that it never stands in the way of the other reports of the run.
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LeakReportIT {

    private static final String ACCEPTED = "{\"success\": true}";

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api curl;
    private String alice;
    private Api aliceBrowser;
    private Api bobBrowser;

    @BeforeEach
    void aliceAndBobLogIn() {
        curl = Api.client(base);
        alice = Users.create(base, "alice");
        aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);
        bobBrowser = Api.browser(base).login(Users.create(base, "bob"), Users.PASSWORD);
    }

    private Api.Reply report(List<String> credentials) {
        StringBuilder json = new StringBuilder("{\"credentials\": [");
        for (int i = 0; i < credentials.size(); i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(credentials.get(i)).append('"');
        }
        return curl.postJson("api/credentials/revoke", json.append("]}").toString());
    }

    @Test
    void aMixedBatchOfAThousandRevokesExactlyItsActiveTokensWithoutAuthenticationAndSaysNothing() {
        String alices = aliceBrowser.createToken(null);
        String kept = aliceBrowser.createToken(null);
        String bobs = bobBrowser.createToken(null);
        String revoked = aliceBrowser.createToken(null);
        assertEquals(200, aliceBrowser.postJson("api/revoke_token", "{\"token\": \"" + revoked + "\"}").status());
        String unknown = TokenFormat.generate(new SecureRandom());
        String badChecksum = alices.substring(0, 52) + (alices.endsWith("0") ? "1" : "0");
        List<String> batch = new ArrayList<>(List.of(alices, bobs, revoked, unknown, badChecksum, "tka_short"));
        while (batch.size() < 1000) {
            batch.add("not-a-token-" + batch.size());
        }

        assertJson(report(batch), 202, ACCEPTED);

        assertInvalidToken(curl.get("api/whoami", Api.auth(alices)));
        assertInvalidToken(curl.get("api/whoami", Api.auth(bobs)));
        assertEquals(200, curl.get("api/whoami", Api.auth(kept)).status(), "not reported: untouched");
        JsonObject listed = aliceBrowser.get("api/tokens").json();
        JsonObject ended = listed.getJsonArray("revoked").getValuesAs(JsonObject.class).stream()
                .filter(t -> t.getString("display_prefix").equals(alices.substring(0, 10))).findFirst()
                .orElseThrow(() -> new AssertionError(listed.toString()));
        assertEquals("reported as leaked", ended.getString("reason"));
        List<JsonObject> events = Users.admin(base).get("api/audit?user=" + alice).json().getJsonArray("events")
                .getValuesAs(JsonObject.class);
        List<JsonObject> reported = events.stream().filter(e -> e.getString("event").equals("TOKEN_LEAK_REPORTED"))
                .toList();
        assertEquals(1, reported.size(), events.toString());
        assertEquals(alices.substring(0, 10), reported.get(0).getString("token_prefix"));
        assertEquals("revoked: reported as leaked", reported.get(0).getString("detail"));
        assertFalse(reported.get(0).getString("client_address").isEmpty());
        assertFalse(events.toString().contains(alices.substring(10)), "no secret in the audit trail");
    }

    @Test
    void theAnswerIsTheSameWhetherAnyTokenExistedOrWasAlreadyRevoked() {
        String token = aliceBrowser.createToken(null);

        Api.Reply first = report(List.of(token));
        Api.Reply again = report(List.of(token));
        Api.Reply nothing = report(List.of(TokenFormat.generate(new SecureRandom()), "junk"));

        for (Api.Reply reply : List.of(first, again, nothing)) {
            assertJson(reply, 202, ACCEPTED);
        }
        assertEquals(first.body(), nothing.body());
        assertInvalidToken(curl.get("api/whoami", Api.auth(token)));
    }

    @Test
    void badBodiesAreRefusedAsEverywhereAndChangeNothing() {
        String token = aliceBrowser.createToken(null);
        List<String> tooMany = new ArrayList<>();
        while (tooMany.size() < 1001) {
            tooMany.add(token);
        }
        String listMsg = "credentials must be a list of 1 to 1000 tokens.";

        assertFailure(report(tooMany), 400, listMsg);
        assertFailure(report(List.of()), 400, listMsg);
        assertFailure(curl.postJson("api/credentials/revoke", "{}"), 400, listMsg);
        assertFailure(curl.postJson("api/credentials/revoke", "{\"credentials\": \"" + token + "\"}"), 400,
                "Field 'credentials' must be an array of strings.");
        assertFailure(curl.postJson("api/credentials/revoke", "{\"credentials\": [1, 2]}"), 400,
                "Field 'credentials' must be an array of strings.");
        assertFailure(curl.postJson("api/credentials/revoke", "{\"credentials\": " + "[".repeat(500) + "]".repeat(500)
                + "}"), 400, "Request body is nested too deeply: fields hold strings, numbers, booleans, null or arrays"
                        + " of those.");
        assertFailure(curl.postJson("api/credentials/revoke", "{\"credentials\": [\"" + token + "\"], \"x\": 1}"), 400,
                "Unknown field 'x'; this request reads credentials.");
        Api.Reply plainText = curl.post("api/credentials/revoke", "{\"credentials\": [\"" + token + "\"]}",
                "Content-Type", "text/plain");
        assertEquals(415, plainText.status(), plainText.body());
        assertFalse(plainText.json().getBoolean("success"));
        assertFailure(curl.get("api/credentials/revoke"), 405, "Method GET not allowed; use POST.");

        assertEquals(200, curl.get("api/whoami", Api.auth(token)).status(), "nothing was revoked");
    }

    @Test
    void reportsFromOneAddressPastItsAllowanceGet429WithRetryAfter() {
        String body = "{\"credentials\": [\"tka_nothing\"]}";
        String answer = null;
        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            answer = RawHttp.sendFrom("127.0.0.3", base, "POST", "api/credentials/revoke",
                    body.getBytes(StandardCharsets.UTF_8), RawHttp.header("Content-Type: application/json"));
            if (RawHttp.status(answer) != 202) {
                break;
            }
            accepted++;
        }

        assertEquals(60, accepted, "the default allowance: 60 reports an hour");
        assertEquals(429, RawHttp.status(answer), answer);
        Matcher retryAfter = Pattern.compile("(?im)^Retry-After: (\\d+)$").matcher(answer);
        assertTrue(retryAfter.find(), answer);
        assertTrue(Long.parseLong(retryAfter.group(1)) > 0, answer);
        assertEquals(ApiAssertions.json("{\"msg\": \"Too many reports from your address; try again in "
                + retryAfter.group(1) + " seconds.\", \"success\": false}"),
                ApiAssertions.json(answer.substring(answer.indexOf("\r\n\r\n") + 4).strip()), answer);
        assertJson(report(List.of("tka_nothing")), 202, ACCEPTED);
    }
}
