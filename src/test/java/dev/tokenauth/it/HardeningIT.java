package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.JsonObject;

/**
 * Crafted input and privilege edges: every case answers with the exact status and JSON, and changes nothing (no
 * user created, no token created, revoked or rotated), and no request writes a stack trace to the server log.
 */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HardeningIT {

    /** Every endpoint that reads a JSON body, with a body it would accept. */
    private static final List<String[]> JSON_ENDPOINTS = List.of(
            new String[] {"api/revoke_token", "{\"id\": 1}"},
            new String[] {"api/create_token", "{\"label\": \"x\"}"},
            new String[] {"api/rotate_token", "{\"grace_seconds\": 0}"},
            new String[] {"api/users", "{\"username\": \"x\", \"password\": \"long enough\"}"},
            new String[] {"api/users/disable", "{\"username\": \"x\"}"},
            new String[] {"api/users/enable", "{\"username\": \"x\"}"},
            new String[] {"api/users/password", "{\"username\": \"x\", \"password\": \"long enough\"}"},
            new String[] {"api/act_as", "{\"username\": \"x\"}"});

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api admin;
    private String alice;
    private Api aliceBrowser;
    private String aliceToken;

    @BeforeEach
    void aliceHasAToken() {
        admin = Users.admin(base);
        alice = Users.create(base, "alice");
        aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);
        aliceToken = aliceBrowser.createToken(null);
    }

    private List<JsonObject> tokensOfAlice() {
        Api.Reply reply = aliceBrowser.get("api/tokens");
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("tokens").getValuesAs(JsonObject.class).stream()
                .map(t -> (JsonObject) jakarta.json.Json.createObjectBuilder(t).remove("last_used_at").remove("used_from").build())
                .toList();
    }

    private List<String> usernames() {
        return admin.get("api/users").json().getJsonArray("users").getValuesAs(JsonObject.class).stream()
                .map(u -> u.getString("username")).toList();
    }

    /** The admin's session, or alice's token where the endpoint is a token endpoint. */
    private Api.Reply send(String path, String body, String contentType) {
        boolean admins = path.startsWith("api/users") || path.startsWith("api/act_as");
        return admins
                ? admin.post(path, body, "Content-Type", contentType)
                : Api.client(base).post(path, body, "Content-Type", contentType, "Authorization", "Token " + aliceToken);
    }

    private long serverLogBytes() throws IOException {
        try (Stream<Path> files = Files.walk(Deployments.serverLogs().toPath())) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * The log's size once what earlier tests logged has reached the files: the servers write their logs from a
     * background thread, so a size read at once may still grow by the lines of requests made before it.
     */
    private long settledServerLogBytes() throws Exception {
        long size = serverLogBytes();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(300);
            long now = serverLogBytes();
            if (now == size) {
                return now;
            }
            size = now;
        }
        return size;
    }

    @Test
    void deeplyNestedJsonIsA400OnEveryJsonEndpointAndWritesNoStackTrace() throws Exception {
        List<JsonObject> tokens = tokensOfAlice();
        List<String> users = usernames();
        String deepArray = "[".repeat(1000) + "]".repeat(1000);
        String deepInField = "{\"username\": " + "{\"a\":".repeat(1000) + "1" + "}".repeat(1000) + "}";
        long logBefore = settledServerLogBytes();

        for (String[] endpoint : JSON_ENDPOINTS) {
            assertFailure(send(endpoint[0], deepArray, "application/json"), 400, "Request body must be a JSON object.");
            assertFailure(send(endpoint[0], deepInField, "application/json"), 400,
                    "Request body is nested too deeply: fields hold strings, numbers, booleans, null or arrays of those.");
        }

        assertEquals(tokens, tokensOfAlice(), "no token created, revoked or rotated");
        assertEquals(users, usernames(), "no user created");
        Thread.sleep(500); // the servers write their logs from a background thread
        long written = serverLogBytes() - logBefore;
        assertTrue(written < 16 * 1024, written + " bytes of log for " + 2 * JSON_ENDPOINTS.size() + " requests");
    }

    @Test
    void aJsonBodyOfAnotherMediaTypeIsA415OnEveryJsonEndpointAndChangesNothing() {
        List<JsonObject> tokens = tokensOfAlice();
        List<String> users = usernames();

        for (String[] endpoint : JSON_ENDPOINTS) {
            Api.Reply reply = send(endpoint[0], endpoint[1], "text/plain");
            assertEquals(415, reply.status(), endpoint[0] + ": " + reply.body());
            assertFalse(reply.json().getBoolean("success"), endpoint[0]);
        }

        assertEquals(tokens, tokensOfAlice());
        assertEquals(users, usernames(), "POST /api/users with text/plain created a user before");
    }

    @Test
    void jsonSentAsAFormIsA400OnEveryJsonEndpointAndChangesNothing() {
        List<JsonObject> tokens = tokensOfAlice();
        List<String> users = usernames();
        long id = tokens.get(0).getJsonNumber("id").longValue();

        assertFailure(send("api/revoke_token", "{\"id\": " + id + "}", "application/x-www-form-urlencoded"), 400,
                "The body is JSON sent as a form: send it with Content-Type: application/json.");
        for (String[] endpoint : JSON_ENDPOINTS) {
            assertFailure(send(endpoint[0], endpoint[1], "application/x-www-form-urlencoded"), 400,
                    "The body is JSON sent as a form: send it with Content-Type: application/json.");
        }

        assertEquals(tokens, tokensOfAlice(), "revoke_token revoked a token sent this way before");
        assertEquals(users, usernames());
    }

    @Test
    void aFieldGivenTwiceIsA400WhicheverComesFirst() {
        String second = aliceBrowser.createToken(null);
        List<JsonObject> tokens = tokensOfAlice();

        assertFailure(Api.client(base).postJson("api/revoke_token", "{\"token\": \"" + aliceToken + "\", \"token\": \""
                + second + "\"}", Api.auth(aliceToken)), 400, "Field 'token' is given more than once.");
        assertFailure(admin.postJson("api/users", "{\"username\": \"x1\", \"password\": \"long enough\", "
                + "\"username\": \"x2\"}"), 400, "Field 'username' is given more than once.");
        assertFailure(Api.client(base).get("api/create_token?label=a&label=b", Api.auth(aliceToken)), 400,
                "Field 'label' is given more than once.");

        assertEquals(tokens, tokensOfAlice());
        assertFalse(usernames().contains("x1") || usernames().contains("x2"));
    }

    @Test
    void invisibleAndControlCharactersAreRefusedInLabelsAndUsernames() {
        List<JsonObject> tokens = tokensOfAlice();
        List<String> users = usernames();
        for (String hidden : new String[] {"\u202e", "\u200b", "\u2066", "\ufeff", "\u0007", "\u2028", "\ue000"}) {
            String escaped = String.format("\\u%04x", (int) hidden.charAt(0));
            assertFailure(aliceBrowser.postJson("api/create_token", "{\"label\": \"ci" + escaped + "gpj.exe\"}"), 400,
                    "label must be at most 100 characters, without control or format characters.");
            assertFailure(admin.postJson("api/users", "{\"username\": \"eve" + escaped + "\", \"password\": "
                    + "\"long enough\"}"), 400, "Username must be 1 to 64 letters, digits or . _ @ -.");
        }

        assertEquals(tokens, tokensOfAlice());
        assertEquals(users, usernames());
    }

    @Test
    void labelsThatShowAsNothingOrSpillOverAreRefusedWithTheirRuleAndChangeNothing() {
        List<JsonObject> tokens = tokensOfAlice();
        String fillers = "label must not hold invisible fillers (such as U+3164 HANGUL FILLER or U+2800 BRAILLE PATTERN"
                + " BLANK).";
        for (String filler : new String[] {"\\u3164", "\\u115f", "\\u1160", "\\u2800", "ci\\uffa0"}) {
            assertFailure(aliceBrowser.postJson("api/create_token", "{\"label\": \"" + filler + "\"}"), 400, fillers);
        }
        for (String blank : new String[] {"\\u00a0\\u00a0", "\\u2007", "\\u202f", "   "}) {
            assertFailure(aliceBrowser.postJson("api/create_token", "{\"label\": \"" + blank + "\"}"), 400,
                    "label must not be only spaces; leave it out for no label.");
        }
        assertFailure(Api.client(base).get("api/create_token?label=%C2%A0%E2%80%AF", Api.auth(aliceToken)), 400,
                "label must not be only spaces; leave it out for no label.");
        assertFailure(Api.client(base).post("api/create_token", "label=Z%CC%80%CC%81%CC%82%CC%83",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Token " + aliceToken), 400,
                "label must not stack more than 3 combining marks on one character.");
        assertFailure(aliceBrowser.postJson("api/create_token", "{\"label\": \"a" + "\\u0300".repeat(40) + "\"}"),
                400, "label must not stack more than 3 combining marks on one character.");

        assertEquals(tokens, tokensOfAlice(), "no token created");
    }

    @Test
    void aNumberInOtherDigitsThanAsciiIsA400AndChangesNothing() {
        List<JsonObject> tokens = tokensOfAlice();

        // A fullwidth 5 (U+FF15) and an Arabic-Indic 5 (U+0665): Java's Long.parseLong read both as 5.
        assertFailure(Api.client(base).get("api/create_token?expires_in=%EF%BC%95", Api.auth(aliceToken)), 400,
                "Field 'expires_in' must be a whole number.");
        assertFailure(Api.client(base).post("api/rotate_token", "grace_seconds=%D9%A5", "Content-Type",
                "application/x-www-form-urlencoded", "Authorization", "Token " + aliceToken), 400,
                "Field 'grace_seconds' must be a whole number.");

        assertEquals(tokens, tokensOfAlice(), "no token created or rotated");
    }

    @Test
    void createTokenReadsItsQueryParametersOnAPostWithoutABody() {
        Instant before = Instant.now();
        Api.Reply reply = Api.client(base).post("api/create_token?expires_in=3600&label=ci", null,
                Api.auth(aliceToken));

        assertEquals(200, reply.status(), reply.body());
        Instant expiresAt = Instant.parse(reply.json().getString("expires_at"));
        assertFalse(expiresAt.isBefore(before.plusSeconds(3599)), expiresAt.toString());
        JsonObject created = tokensOfAlice().stream()
                .filter(t -> t.getJsonNumber("id").longValue() == reply.json().getJsonNumber("id").longValue())
                .findFirst().orElseThrow();
        assertEquals("ci", created.getString("label"));
    }

    @Test
    void parametersThatWouldBeIgnoredAreRefusedAndChangeNothing() {
        List<JsonObject> tokens = tokensOfAlice();

        assertFailure(Api.client(base).post("api/rotate_token?grace_seconds=0", null, Api.auth(aliceToken)), 400,
                "This request reads no query parameters: send 'grace_seconds' in the request body.");
        assertFailure(Api.client(base).postJson("api/create_token", "{\"expire_in\": 60}", Api.auth(aliceToken)), 400,
                "Unknown field 'expire_in'; this request reads expires_in, label, scopes.");
        assertFailure(Api.client(base).postJson("api/create_token?label=a", "{\"expires_in\": 60}",
                Api.auth(aliceToken)), 400, "Give the fields either in the URL's query or in the body, not both.");
        assertFailure(Api.client(base).postJson("api/revoke_token?id=1", "{\"token\": \"" + aliceToken + "\"}",
                Api.auth(aliceToken)), 400, "This request reads no query parameters: send 'id' in the request body.");
        assertFailure(Api.client(base).get("api/whoami?user=admin", Api.auth(aliceToken)), 400,
                "This request takes no fields; 'user' is not read.");

        assertEquals(tokens, tokensOfAlice());
    }

    @Test
    void aTokenMadeWithAnExpiringTokenExpiresWithItAtTheLatestButARotationRenews() {
        Api.Reply parent = Api.client(base).post("api/create_token?expires_in=120", null, Api.auth(aliceToken));
        assertEquals(200, parent.status(), parent.body());
        String shortLived = parent.json().getString("token");
        String parentEnd = parent.json().getString("expires_at");

        Api.Reply child = Api.client(base).post("api/create_token", null, Api.auth(shortLived));
        Api.Reply rotated = Api.client(base).postJson("api/rotate_token", "{\"grace_seconds\": 60}",
                Api.auth(shortLived));

        assertEquals(200, child.status(), child.body());
        assertEquals(parentEnd, child.json().getString("expires_at"), "without expires_in: the parent's end");
        assertEquals(200, rotated.status(), rotated.body());
        assertTrue(Instant.parse(rotated.json().getString("expires_at")).isAfter(Instant.parse(parentEnd)),
                "a rotation's successor starts a fresh lifetime (TokenLifecycleIT): " + rotated.body());
        Instant fromSession = Instant.parse(aliceBrowser.post("api/create_token", null).json().getString("expires_at"));
        assertTrue(fromSession.isAfter(Instant.parse(parentEnd).plusSeconds(86400)),
                "a token made from a login session is bound by the lifetime settings alone: " + fromSession);
    }

    @Test
    void askingForMoreThanTheCreatingTokensLifeIsA400() {
        String shortLived = Api.client(base).post("api/create_token?expires_in=120", null, Api.auth(aliceToken))
                .json().getString("token");
        List<JsonObject> tokens = tokensOfAlice();

        Api.Reply reply = Api.client(base).postJson("api/create_token", "{\"expires_in\": 86400}",
                Api.auth(shortLived));

        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.json().getString("msg").startsWith("expires_in must not reach past the expiry of the token "
                + "that makes the request ("), reply.body());
        assertEquals(tokens, tokensOfAlice());
    }

    @Test
    void aTokenInItsRotationGracePeriodAuthenticatesButCannotMintOrRotate() {
        Api.Reply rotation = Api.client(base).postJson("api/rotate_token", "{\"grace_seconds\": 3600}",
                Api.auth(aliceToken));
        assertEquals(200, rotation.status(), rotation.body());
        List<JsonObject> tokens = tokensOfAlice();

        assertJson(Api.client(base).get("api/whoami", Api.auth(aliceToken)), 200,
                "{\"user\": \"" + alice + "\", \"success\": true}");
        String msg = "A token in its rotation grace period cannot create or rotate tokens; use its successor.";
        assertFailure(Api.client(base).post("api/create_token", null, Api.auth(aliceToken)), 403, msg);
        assertFailure(Api.client(base).postJson("api/rotate_token", "{\"id\": " + rotation.json()
                .getJsonNumber("id") + "}", Api.auth(aliceToken)), 403, msg);

        assertEquals(tokens, tokensOfAlice());
    }

    @Test
    void anAdminCannotActAsAnotherAdmin() {
        String root2 = "admin2-" + alice.substring(alice.indexOf('-') + 1);
        assertEquals(201, admin.postJson("api/users", "{\"username\": \"" + root2 + "\", \"password\": "
                + "\"long enough\", \"admin\": true}").status());

        assertFailure(admin.postJson("api/act_as", "{\"username\": \"" + root2 + "\"}"), 403,
                "You cannot act as another admin.");
        assertEquals("admin", admin.get("api/whoami").json().getString("user"), "still themselves");
    }

    @Test
    void whenTheUserActedAsIsDisabledTheNextRequestIsRefusedOnceSayingSoNeverTurnedIntoTheAdminsOwn() {
        Api acting = Users.admin(base);
        assertEquals(200, acting.postJson("api/act_as", "{\"username\": \"" + alice + "\"}").status());
        assertEquals(200, admin.postJson("api/users/disable", "{\"username\": \"" + alice + "\"}").status());
        int adminTokens = adminTokenCount();

        assertFailure(acting.post("api/create_token", null), 409,
                "Acting as " + alice + " ended: the user was disabled. Your next requests are your own.");

        assertEquals(adminTokens, adminTokenCount(), "no token was created for the admin instead");
        assertJson(acting.get("api/whoami"), 200, "{\"user\": \"admin\", \"success\": true}");
    }

    /** The admin's own tokens, as their other session (which acts as nobody) lists them. */
    private int adminTokenCount() {
        return admin.get("api/tokens").json().getJsonArray("tokens").size();
    }

    @Test
    void aUserCreatedWithATokenIsAuditedWithThatToken() throws Exception {
        // An admin of this test's own: the built-in admin's token limit is shared by every test of the run.
        String grace = "grace-" + alice.substring(alice.indexOf('-') + 1);
        assertEquals(201, admin.postJson("api/users", "{\"username\": \"" + grace + "\", \"password\": \""
                + Users.PASSWORD + "\", \"admin\": true}").status());
        Api graceBrowser = Api.browser(base).login(grace, Users.PASSWORD);
        String adminToken = graceBrowser.createToken(null);
        long tokenId = graceBrowser.get("api/tokens").json().getJsonArray("tokens").getValuesAs(JsonObject.class)
                .get(0).getJsonNumber("id").longValue();
        String frank = "frank-" + alice.substring(alice.indexOf('-') + 1);

        assertEquals(201, Api.client(base).postJson("api/users", "{\"username\": \"" + frank + "\", \"password\": "
                + "\"long enough\"}", Api.auth(adminToken)).status());

        JsonObject created = admin.get("api/audit?user=" + frank).json().getJsonArray("events")
                .getValuesAs(JsonObject.class).stream().filter(e -> e.getString("event").equals("USER_CREATED"))
                .findFirst().orElseThrow();
        assertEquals(tokenId, created.getJsonNumber("token_id").longValue(), created.toString());
        assertEquals(grace, created.getString("acting_user"));
    }
}
