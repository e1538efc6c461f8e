package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
import jakarta.json.JsonValue;

/**
 * Expiry, rotation in one call, the per-user limit and last use, over HTTP. The test server runs with a
 * maximum lifetime of one year and last-use times written every second (see arquillian.xml).
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TokenLifecycleIT {

    private static final long MAX_LIFETIME = 31_536_000;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api curl;
    private String alice;
    private Api aliceBrowser;
    private String token;

    @BeforeEach
    void aliceHasAToken() {
        curl = Api.client(base);
        alice = Users.create(base, "alice");
        aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);
        token = aliceBrowser.createToken(null);
    }

    private List<JsonObject> tokensOf(String asToken) {
        return curl.get("api/tokens", Api.auth(asToken)).json().getJsonArray("tokens").getValuesAs(JsonObject.class);
    }

    /** Alice's tokens as listed, but for their last use, which every call with the token moves on. */
    private List<JsonObject> tokensApartFromLastUse() {
        return tokensOf(token).stream().map(t -> Json.createObjectBuilder(t).remove("last_used_at").remove("used_from").build()).toList();
    }

    // --- expiry --------------------------------------------------------------------------------------------

    @Test
    void expiresInAndLabelAsQueryParametersFormFieldsOrJsonSetTheExpiryAndLabel() {
        Instant before = Instant.now();
        JsonObject viaQuery = curl.get("api/create_token?expires_in=3600&label=query", Api.auth(token)).json();
        JsonObject viaForm = curl.post("api/create_token", "expires_in=3600&label=form",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Token " + token).json();
        JsonObject viaJson = curl.postJson("api/create_token", "{\"expires_in\":3600,\"label\":\"json\"}",
                Api.auth(token)).json();

        for (JsonObject created : List.of(viaQuery, viaForm, viaJson)) {
            assertTrue(created.getBoolean("success"), created.toString());
            Instant expiresAt = Instant.parse(created.getString("expires_at"));
            assertFalse(expiresAt.isBefore(before.plusSeconds(3600).minusSeconds(1)), expiresAt.toString());
            assertFalse(expiresAt.isAfter(Instant.now().plusSeconds(3600)), expiresAt.toString());
        }
        List<String> labels = tokensOf(token).stream()
                .map(t -> t.isNull("label") ? null : t.getString("label")).toList();
        assertTrue(labels.containsAll(List.of("query", "form", "json")), labels.toString());
    }

    @Test
    void anExpiredTokenIsRefusedExactlyLikeARevokedOne() throws InterruptedException {
        String shortLived = curl.postJson("api/create_token", "{\"expires_in\":1}", Api.auth(token)).json()
                .getString("token");
        assertEquals(200, curl.get("api/whoami", Api.auth(shortLived)).status());

        Thread.sleep(1500);

        assertInvalidToken(curl.get("api/whoami", Api.auth(shortLived)));
        assertFailure(curl.postJson("api/revoke_token", "{\"token\":\"" + shortLived + "\"}", Api.auth(token)), 404,
                "Token not found.");
    }

    @Test
    void aLifetimeOverTheMaximumOrNotAPositiveWholeNumberIsA400AndCreatesNothing() {
        int before = tokensOf(token).size();
        assertFailure(curl.postJson("api/create_token", "{\"expires_in\":" + (MAX_LIFETIME + 1) + "}", Api.auth(token)),
                400, "expires_in exceeds the maximum lifetime of " + MAX_LIFETIME + " seconds.");
        assertFailure(curl.get("api/create_token?expires_in=0", Api.auth(token)), 400,
                "expires_in must be a positive number of seconds.");
        assertFailure(curl.get("api/create_token?expires_in=soon", Api.auth(token)), 400,
                "Field 'expires_in' must be a whole number.");
        assertFailure(curl.postJson("api/create_token", "{\"expires_in\":1.5}", Api.auth(token)), 400,
                "Field 'expires_in' must be a whole number.");
        assertFailure(curl.postJson("api/create_token", "{\"label\":7}", Api.auth(token)), 400,
                "Field 'label' must be a string.");
        assertFailure(curl.postJson("api/create_token", "{\"label\":\"" + "x".repeat(101) + "\"}", Api.auth(token)),
                400, "label must be at most 100 characters, without control or format characters.");
        assertEquals(before, tokensOf(token).size(), "refused requests create nothing");
    }

    // --- rotation ------------------------------------------------------------------------------------------

    @Test
    void rotatingWithTheTokenItselfGivesASuccessorAndEndsTheOldOneAfterTheDefaultDay() {
        Instant before = Instant.now();
        Api.Reply reply = curl.post("api/rotate_token", null, Api.auth(token));

        assertEquals(200, reply.status(), reply.body());
        JsonObject body = reply.json();
        String successor = body.getString("token");
        Instant successorEnds = Instant.parse(body.getString("expires_at"));
        assertFalse(successorEnds.isBefore(before.plusSeconds(MAX_LIFETIME).minusSeconds(1)),
                "without a default lifetime, the successor gets the maximum: " + successorEnds);
        Instant oldEnds = Instant.parse(body.getString("old_expires_at"));
        assertFalse(oldEnds.isBefore(before.plus(Duration.ofDays(1)).minusSeconds(1)), oldEnds.toString());
        assertFalse(oldEnds.isAfter(Instant.now().plus(Duration.ofDays(1))), oldEnds.toString());
        assertEquals(200, curl.get("api/whoami", Api.auth(token)).status(), "the old token works in its grace period");
        assertJson(curl.get("api/whoami", Api.auth(successor)), 200, "{\"user\":\"" + alice + "\",\"success\":true}");
    }

    @Test
    void aZeroGraceEndsTheOldTokenOnTheNextRequest() {
        Api.Reply reply = curl.postJson("api/rotate_token", "{\"grace_seconds\":0}", Api.auth(token));

        assertEquals(200, reply.status(), reply.body());
        assertInvalidToken(curl.get("api/whoami", Api.auth(token)));
        assertEquals(200, curl.get("api/whoami", Api.auth(reply.json().getString("token"))).status());
    }

    @Test
    void jsonSentAsAFormIsRefusedRatherThanReadWithItsFieldsLost() {
        List<JsonObject> before = tokensApartFromLastUse();
        // What curl -d '{"grace_seconds":0}' sends without -H 'Content-Type: application/json'.
        Api.Reply rotation = curl.post("api/rotate_token", "{\"grace_seconds\":0}",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Token " + token);
        Api.Reply creation = curl.post("api/create_token", "{\"expires_in\":60}",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Token " + token);

        for (Api.Reply reply : List.of(rotation, creation)) {
            assertFailure(reply, 400, "The body is JSON sent as a form: send it with Content-Type: application/json.");
        }
        assertEquals(before, tokensApartFromLastUse(), "nothing rotated, nothing created");
    }

    @Test
    void aBodyOfAnotherMediaTypeIsA415AndChangesNothing() {
        List<JsonObject> before = tokensApartFromLastUse();

        assertFailure(curl.post("api/rotate_token", "grace_seconds=0", "Content-Type", "text/plain",
                "Authorization", "Token " + token), 415,
                "Send the parameters as JSON (Content-Type: application/json) or as a form.");

        assertEquals(before, tokensApartFromLastUse());
    }

    @Test
    void formFieldsNameTheTokenToRotateAndItsGraceAsJsonFieldsDo() {
        long id = tokensOf(token).get(0).getJsonNumber("id").longValue();

        Api.Reply reply = aliceBrowser.postForm("api/rotate_token", "id", Long.toString(id), "grace_seconds", "0");

        assertEquals(200, reply.status(), reply.body());
        assertEquals(id, reply.json().getJsonNumber("old_id").longValue());
        assertInvalidToken(curl.get("api/whoami", Api.auth(token)));
        assertEquals(200, curl.get("api/whoami", Api.auth(reply.json().getString("token"))).status());
    }

    @Test
    void aTokenNamedInTheUrlIsRefusedAndNothingRotated() {
        List<JsonObject> before = tokensApartFromLastUse();

        Api.Reply reply = aliceBrowser.post("api/rotate_token?token=" + token, "grace_seconds=0",
                "Content-Type", "application/x-www-form-urlencoded");

        assertFailure(reply, 400, "Never put a token in a URL: send 'token' in the request body.");
        assertEquals(before, tokensApartFromLastUse());
    }

    @Test
    void aPostWithoutAContentTypeIsReadAsJson() {
        Api.Reply reply = curl.post("api/rotate_token", "{\"grace_seconds\":0}", Api.auth(token));

        assertEquals(200, reply.status(), reply.body());
        assertInvalidToken(curl.get("api/whoami", Api.auth(token)));
    }

    @Test
    void aTokenAlreadyRotatedCannotRotateItselfAgainInItsGracePeriod() {
        assertEquals(200, curl.post("api/rotate_token", null, Api.auth(token)).status());

        assertFailure(curl.post("api/rotate_token", null, Api.auth(token)), 403,
                "A token in its rotation grace period cannot create or rotate tokens; use its successor.");
    }

    @Test
    void aTokenRotatedWithoutGraceIsStillAConflictForItsOwner() {
        long id = tokensOf(token).get(0).getJsonNumber("id").longValue();
        assertEquals(200, aliceBrowser.postJson("api/rotate_token", "{\"id\":" + id + ",\"grace_seconds\":0}").status());

        assertFailure(aliceBrowser.postJson("api/rotate_token", "{\"id\":" + id + "}"), 409,
                "Token was already rotated; rotate its successor instead.");
    }

    @Test
    void theSessionRotatesATokenNamedByIdOrByTheTokenItself() {
        long id = tokensOf(token).get(0).getJsonNumber("id").longValue();
        Api.Reply byId = aliceBrowser.postJson("api/rotate_token", "{\"id\":" + id + ",\"grace_seconds\":0}");
        assertEquals(200, byId.status(), byId.body());
        assertEquals(id, byId.json().getJsonNumber("old_id").longValue());
        assertInvalidToken(curl.get("api/whoami", Api.auth(token)));

        String next = byId.json().getString("token");
        Api.Reply byToken = aliceBrowser.postJson("api/rotate_token", "{\"token\":\"" + next + "\",\"grace_seconds\":0}");
        assertEquals(200, byToken.status(), byToken.body());
        assertInvalidToken(curl.get("api/whoami", Api.auth(next)));
    }

    @Test
    void aSessionRotationMustNameItsTokenAndMayNotTouchAnotherUsers() {
        assertFailure(aliceBrowser.post("api/rotate_token", null), 400,
                "Name the token to rotate with token or id, or authenticate with it.");
        String bobToken = Api.browser(base).login(Users.create(base, "bob"), Users.PASSWORD).createToken(null);
        long bobsId = curl.get("api/tokens", Api.auth(bobToken)).json().getJsonArray("tokens").getJsonObject(0)
                .getJsonNumber("id").longValue();

        assertFailure(aliceBrowser.postJson("api/rotate_token", "{\"id\":" + bobsId + "}"), 404, "Token not found.");
        assertFailure(aliceBrowser.postJson("api/rotate_token", "{\"token\":\"" + bobToken + "\"}"), 404,
                "Token not found.");
        assertEquals(1, curl.get("api/tokens", Api.auth(bobToken)).json().getJsonArray("tokens").size());
        assertFailure(curl.postJson("api/rotate_token", "{\"grace_seconds\":999999999}", Api.auth(token)), 400,
                "grace_seconds must be between 0 and 604800.");
        assertEquals(200, curl.get("api/whoami", Api.auth(token)).status(), "a refused rotation changes nothing");
    }

    // --- limits --------------------------------------------------------------------------------------------

    @Test
    void theTokenLimitHoldsUnderConcurrentCreates() throws Exception {
        String carol = Users.create(base, "carol");
        Api carolBrowser = Api.browser(base).login(carol, Users.PASSWORD);
        String carolToken = carolBrowser.createToken(null);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Callable<Integer>> creates = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            creates.add(() -> Api.client(base).post("api/create_token", null, Api.auth(carolToken)).status());
        }
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(creates, 2, TimeUnit.MINUTES)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(9, statuses.stream().filter(s -> s == 200).count(), "exactly up to the limit of 10: " + statuses);
        assertEquals(15, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(10, curl.get("api/tokens", Api.auth(carolToken)).json().getJsonArray("tokens").size());
        assertFailure(curl.post("api/create_token", null, Api.auth(carolToken)), 409, "Token limit reached (10).");
    }

    @Test
    void aRotationAtTheLimitGoesOnePastItForTheGracePeriodAndNoFurther() {
        String dave = Users.create(base, "dave");
        String first = Api.browser(base).login(dave, Users.PASSWORD).createToken(null);
        String second = curl.createToken(first);
        for (int i = 2; i < 10; i++) {
            curl.createToken(first);
        }

        Api.Reply rotated = curl.post("api/rotate_token", null, Api.auth(first));
        assertEquals(200, rotated.status(), rotated.body());
        assertEquals(11, tokensOf(second).size(), "the rotated token works on in its grace period");

        assertFailure(curl.post("api/rotate_token", null, Api.auth(second)), 409, "Token limit reached (10).");
        assertFailure(curl.post("api/rotate_token", null, Api.auth(rotated.json().getString("token"))), 409,
                "Token limit reached (10).");
        assertFailure(curl.post("api/create_token", null, Api.auth(second)), 409, "Token limit reached (10).");
        assertEquals(11, tokensOf(second).size(), "the refused calls changed nothing");
    }

    // --- last use ------------------------------------------------------------------------------------------

    @Test
    void theTokenListShowsWhenEachTokenWasLastUsed() {
        String unused = curl.createToken(token);
        Instant before = Instant.now().minusSeconds(1);
        curl.get("api/whoami", Api.auth(token));

        List<JsonObject> tokens = tokensOf(token);

        JsonObject used = tokens.stream().filter(t -> t.getString("display_prefix").equals(token.substring(0, 10)))
                .findFirst().orElseThrow();
        assertFalse(Instant.parse(used.getString("last_used_at")).isBefore(before), used.toString());
        JsonObject never = tokens.stream().filter(t -> t.getString("display_prefix").equals(unused.substring(0, 10)))
                .findFirst().orElseThrow();
        assertEquals(JsonValue.NULL, never.get("last_used_at"), never.toString());
        assertEquals(List.of("id", "display_prefix", "label", "created_at", "created_by", "expires_at",
                "expires_in_days", "last_used_at", "used_from", "rotated", "rotated_from", "scopes", "notices"),
                List.copyOf(used.keySet()));
        List<JsonObject> from = used.getJsonArray("used_from").getValuesAs(JsonObject.class);
        assertEquals(1, from.size(), used.toString());
        assertEquals(List.of("address", "at"), List.copyOf(from.get(0).keySet()));
        assertFalse(Instant.parse(from.get(0).getString("at")).isBefore(before), used.toString());
        assertEquals(0, never.getJsonArray("used_from").size(), never.toString());
    }

    // --- issue 24: rotation renews, reuse detection, notices -----------------------------------------------

    @Test
    void aRotationGivesTheSuccessorAFreshLifetimeWhileACreationByTheTokenStaysBoundByIt() {
        JsonObject made = curl.post("api/create_token?expires_in=120", null, Api.auth(token)).json();
        String shortLived = made.getString("token");
        Instant parentEnd = Instant.parse(made.getString("expires_at"));

        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        JsonObject rotated = curl.postJson("api/rotate_token", "{\"grace_seconds\": 0}", Api.auth(shortLived)).json();
        Instant after = Instant.now();

        assertTrue(rotated.getBoolean("success"), rotated.toString());
        Instant renewed = Instant.parse(rotated.getString("expires_at"));
        assertFalse(renewed.isBefore(before.plusSeconds(120)), "a fresh 120 s from the rotation: " + renewed);
        assertFalse(renewed.isAfter(after.plusSeconds(120)), renewed.toString());
        assertTrue(renewed.isAfter(parentEnd), "past the rotated token's own end " + parentEnd);
        String successor = rotated.getString("token");
        JsonObject child = curl.post("api/create_token", null, Api.auth(successor)).json();
        assertEquals(rotated.getString("expires_at"), child.getString("expires_at"),
                "a creation by a token never outlives it");
    }

    @Test
    void aReplacedTokenUsedToRotateAfterItsGraceIsAnInvalidTokenAndRevokesItsWholeFamily() {
        String old = curl.createToken(token);
        JsonObject rotation = curl.postJson("api/rotate_token", "{\"grace_seconds\": 0}", Api.auth(old)).json();
        String successor = rotation.getString("token");
        assertEquals(200, curl.get("api/whoami", Api.auth(successor)).status());

        Api.Reply reused = curl.post("api/rotate_token", null, Api.auth(old));

        assertInvalidToken(reused);
        assertInvalidToken(curl.get("api/whoami", Api.auth(successor)));
        assertEquals(200, curl.get("api/whoami", Api.auth(token)).status(), "another family is untouched");
        JsonObject listed = curl.get("api/tokens", Api.auth(token)).json();
        JsonObject revoked = listed.getJsonArray("revoked").getValuesAs(JsonObject.class).stream()
                .filter(t -> t.getString("display_prefix").equals(successor.substring(0, 10))).findFirst()
                .orElseThrow(() -> new AssertionError(listed.toString()));
        assertEquals(JsonValue.NULL, revoked.get("revoked_by"));
        assertTrue(revoked.getString("reason").startsWith("reuse of the replaced token " + rotation.getJsonNumber(
                "old_id") + " ("), revoked.toString());
        List<JsonObject> events = Users.admin(base).get("api/audit?user=" + alice).json().getJsonArray("events")
                .getValuesAs(JsonObject.class);
        JsonObject detected = events.stream().filter(e -> e.getString("event").equals("TOKEN_REUSE_DETECTED"))
                .findFirst().orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals(old.substring(0, 10), detected.getString("token_prefix"));
        assertFalse(detected.getString("client_address").isEmpty());
        assertFalse(events.toString().contains(old.substring(10)), "no secret in the audit trail");
    }

    @Test
    void aReplacedTokenStillInItsGraceCannotRotateButRevokesNothing() {
        String old = curl.createToken(token);
        String successor = curl.postJson("api/rotate_token", "{\"grace_seconds\": 600}", Api.auth(old)).json()
                .getString("token");

        assertFailure(curl.post("api/rotate_token", null, Api.auth(old)), 403,
                "A token in its rotation grace period cannot create or rotate tokens; use its successor.");

        assertEquals(200, curl.get("api/whoami", Api.auth(successor)).status());
        assertEquals(200, curl.get("api/whoami", Api.auth(old)).status());
    }

    @Test
    void aTokenExpiringWithinSevenDaysCarriesTheNoticeAndItsDaysLeft() {
        String soon = curl.postJson("api/create_token", "{\"expires_in\": 259200, \"label\": \"soon\"}",
                Api.auth(token)).json().getString("token");

        JsonObject listed = tokensOf(token).stream()
                .filter(t -> t.getString("display_prefix").equals(soon.substring(0, 10))).findFirst().orElseThrow();
        JsonObject mine = tokensOf(token).stream()
                .filter(t -> t.getString("display_prefix").equals(token.substring(0, 10))).findFirst().orElseThrow();

        assertEquals(2, listed.getInt("expires_in_days"), listed.toString());
        assertEquals(List.of("expiring_soon"), listed.getJsonArray("notices").getValuesAs(
                jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        assertEquals(0, mine.getJsonArray("notices").size(), "a year left, used now: " + mine);
    }
}
