package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tokenauth.token.TokenFormat;
import jakarta.json.JsonObject;

/**
 * {@code POST /api/introspect} (RFC 7662, issue 26): an active token's owner, scopes, times and id to a caller with
 * the scope {@code introspect}, which only an admin gives; one {@code {"active": false}} for everything else.
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IntrospectIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api curl;
    private String introspector;
    private String user;
    private Api userSession;

    @BeforeEach
    void anAdminGivesAServiceTokenTheScopeIntrospect() {
        curl = Api.client(base);
        String admin = Users.createAdmin(base, "introspector");
        Api.Reply made = Api.browser(base).login(admin, Users.PASSWORD).postJson("api/create_token",
                "{\"scopes\": [\"introspect\"], \"label\": \"gateway\"}");
        assertEquals(200, made.status(), made.body());
        introspector = made.json().getString("token");
        user = Users.create(base, "introspected");
        userSession = Api.browser(base).login(user, Users.PASSWORD);
    }

    private Api.Reply introspectForm(String token, String as) {
        return curl.post("api/introspect", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&token_type_hint=access_token", "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", "Token " + as);
    }

    private Api.Reply introspectJson(String token, String as) {
        return curl.postJson("api/introspect", "{\"token\": \"" + token + "\"}", Api.auth(as));
    }

    private JsonObject tokenEntry(String token) {
        return curl.get("api/tokens", Api.auth(token)).json().getJsonArray("tokens").getValuesAs(JsonObject.class)
                .stream().filter(t -> token.startsWith(t.getString("display_prefix"))).findFirst().orElseThrow();
    }

    @Test
    void anActiveTokenIsDescribedAsRfc7662SaysByFormAndByJson() {
        Api.Reply made = userSession.postJson("api/create_token", "{\"expires_in\": 3600, \"scopes\": [\"read\"]}");
        String token = made.json().getString("token");
        JsonObject entry = tokenEntry(token);
        long iat = Instant.parse(entry.getString("created_at")).getEpochSecond();
        long exp = Instant.parse(entry.getString("expires_at")).getEpochSecond();

        String expected = "{\"active\":true,\"scope\":\"read\",\"username\":\"" + user + "\",\"exp\":" + exp
                + ",\"iat\":" + iat + ",\"token_type\":\"Token\",\"jti\":\"" + entry.getJsonNumber("id") + "\"}";
        assertJson(introspectForm(token, introspector), 200, expected);
        assertJson(introspectJson(token, introspector), 200, expected);

        String lasting = userSession.createToken(null);
        JsonObject answer = introspectJson(lasting, introspector).json();
        assertEquals("read write", answer.getString("scope"), "the default scopes, without introspect");
        // The test servers cap every token at a year (tokenauth.token.lifetime.max): that is its end.
        assertEquals(answer.getJsonNumber("iat").longValue() + 31_536_000L, answer.getJsonNumber("exp").longValue());
    }

    @Test
    void everyInactiveTokenGetsTheSameAnswerWhateverTheReason() {
        String revoked = userSession.createToken(null);
        assertEquals(200, curl.postJson("api/revoke_token", "{\"token\":\"" + revoked + "\"}", Api.auth(revoked))
                .status());
        String rotatedAway = userSession.createToken(null);
        assertEquals(200, curl.postJson("api/rotate_token", "{\"grace_seconds\": 0}", Api.auth(rotatedAway))
                .status());
        String expiring = userSession.postJson("api/create_token", "{\"expires_in\": 1}").json().getString("token");
        String disabledUser = Users.create(base, "gone");
        String ofDisabled = Api.browser(base).login(disabledUser, Users.PASSWORD).createToken(null);
        assertEquals(200, Users.admin(base).postJson("api/users/disable",
                "{\"username\":\"" + disabledUser + "\"}").status());
        String unknown = TokenFormat.generate(new SecureRandom());
        String valid = userSession.createToken(null);
        String badChecksum = valid.substring(0, valid.length() - 1) + (valid.endsWith("A") ? "B" : "A");
        TomcatNode.sleep(1100);

        Map<String, String> inactive = new LinkedHashMap<>();
        inactive.put("revoked", revoked);
        inactive.put("rotated, its grace over", rotatedAway);
        inactive.put("expired", expiring);
        inactive.put("its owner disabled", ofDisabled);
        inactive.put("unknown", unknown);
        inactive.put("bad checksum", badChecksum);
        inactive.put("malformed", "not a token at all");
        inactive.put("empty", "");
        inactive.put("the introspector's own, as Bearer", "Bearer " + introspector);
        inactive.forEach((kind, token) -> {
            assertJson(introspectForm(token, introspector), 200, "{\"active\":false}");
            assertJson(introspectJson(token, introspector), 200, "{\"active\":false}");
        });
    }

    @Test
    void aCallerWithoutTheScopeOrWithASessionIsRefusedAndOnlyAnAdminGivesTheScope() {
        String readWrite = userSession.createToken(null);
        assertFailure(introspectJson(readWrite, readWrite), 403, "This token lacks the scope 'introspect'.");
        assertFailure(userSession.postJson("api/introspect", "{\"token\":\"" + readWrite + "\"}"), 403,
                "Introspection needs a token with the scope 'introspect', not a login session.");
        assertEquals(401, curl.postJson("api/introspect", "{\"token\":\"" + readWrite + "\"}").status());

        assertFailure(userSession.postJson("api/create_token", "{\"scopes\": [\"introspect\"]}"), 403,
                "Only an admin can give the scope 'introspect'.");
        assertFailure(curl.postJson("api/create_token", "{\"scopes\": [\"introspect\", \"read\"]}",
                Api.auth(readWrite)), 403, "Only an admin can give the scope 'introspect'.");
        assertFailure(userSession.postJson("api/rotate_token", "{\"token\": \"" + readWrite
                + "\", \"scopes\": [\"introspect\"]}"), 403, "Only an admin can give the scope 'introspect'.");
        assertEquals(200, introspectJson(readWrite, introspector).status(), "the refused rotation changed nothing");
        assertEquals(true, introspectJson(readWrite, introspector).json().getBoolean("active"));
        // The introspector itself lacks write: it makes no token, not even one like itself.
        assertFailure(curl.postJson("api/create_token", "{}", Api.auth(introspector)), 403,
                "This token lacks the scope 'write'.");
    }

    @Test
    void badInputIsRefusedAsEverywhere() {
        assertFailure(curl.postJson("api/introspect", "{}", Api.auth(introspector)), 400, "Missing field: token.");
        assertFailure(curl.postJson("api/introspect", "{\"token\": 5}", Api.auth(introspector)), 400,
                "Field 'token' must be a string.");
        assertEquals(405, curl.get("api/introspect", Api.auth(introspector)).status());
    }

    @Test
    void anIntrospectedTokenCountsAsUsedFromTheIntrospectingService() throws Exception {
        String token = userSession.createToken(null);
        String reader = userSession.createToken(null);
        Instant before = Instant.now().minusSeconds(1);

        introspectJson(token, introspector);

        JsonObject entry = curl.get("api/tokens", Api.auth(reader)).json().getJsonArray("tokens")
                .getValuesAs(JsonObject.class).stream().filter(t -> token.startsWith(t.getString("display_prefix")))
                .findFirst().orElseThrow();
        assertTrue(Instant.parse(entry.getString("last_used_at")).isAfter(before), entry.toString());
        // The address this test connects from, as the server sees it: loopback, or the host's own address where
        // the server is reached by it (Payara Micro's Arquillian URL).
        assertEquals(java.net.InetAddress.getByName(base.getHost()).getHostAddress(),
                entry.getJsonArray("used_from").getJsonObject(0).getString("address"), entry.toString());
    }
}
