package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** The audit trail: every token event, readable by admins a page at a time, never a secret. */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void createRotateRevokeAndRefusalAreAuditedForTheUserWithoutSecrets() throws Exception {
        String alice = Users.create(base, "alice");
        Api curl = Api.client(base);
        String first = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        String second = curl.post("api/rotate_token", null, Api.auth(first)).json().getString("token");
        curl.postJson("api/revoke_token", "{\"token\":\"" + first + "\"}", Api.auth(second));
        curl.get("api/whoami", Api.auth(first)); // refused: revoked
        Api admin = Api.browser(base).login(Deployments.ADMIN, Deployments.adminPassword());

        List<JsonObject> events = List.of();
        for (int i = 0; i < 40 && events.stream().noneMatch(e -> e.getString("event").equals("TOKEN_REFUSED")); i++) {
            Thread.sleep(250); // refusals are stored by a background task every few seconds
            events = admin.get("api/audit?user=" + alice).json().getJsonArray("events").getValuesAs(JsonObject.class);
        }

        assertEquals(List.of("TOKEN_REFUSED", "TOKEN_REVOKED", "TOKEN_ROTATED", "TOKEN_CREATED", "TOKEN_CREATED",
                "USER_CREATED"),
                events.stream().map(e -> e.getString("event")).toList(), events.toString());
        JsonObject refused = events.get(0);
        assertEquals("revoked", refused.getString("detail"));
        assertEquals(first.substring(0, 10), refused.getString("token_prefix"));
        // The client runs on the server's machine, so it comes from the address it connects to: 127.0.0.1 on
        // Tomcat, the machine's own interface address on Payara Micro (which its Arquillian adapter reports).
        assertEquals(java.net.InetAddress.getByName(base.getHost()).getHostAddress(), refused.getString("client_address"));
        // Made with tokens, the rotation and the revocation name the token of their request too.
        assertEquals("successor token " + events.get(3).getJsonNumber("token_id") + " ("
                + second.substring(0, 10) + "); by token " + events.get(4).getJsonNumber("token_id"),
                events.get(2).getString("detail"));
        assertEquals("by token " + events.get(3).getJsonNumber("token_id"), events.get(1).getString("detail"));
        assertEquals(first.substring(0, 10), events.get(2).getString("token_prefix"));
        JsonObject created = events.get(4);
        assertEquals(alice, created.getString("user"));
        assertEquals(alice, created.getString("acting_user"));
        assertEquals("from a login session", created.getString("detail"));
        String all = events.toString();
        for (String secret : List.of(first, second)) {
            assertFalse(all.contains(secret.substring(10)), "no secret in the audit trail");
        }
    }

    @Test
    void anExpiryIsAuditedByTheBackgroundTask() throws InterruptedException {
        String alice = Users.create(base, "alice");
        String token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        JsonObject created = Api.client(base).postJson("api/create_token", "{\"expires_in\":1}", Api.auth(token)).json();
        Api admin = Api.browser(base).login(Deployments.ADMIN, Deployments.adminPassword());

        List<JsonObject> expired = List.of();
        for (int i = 0; i < 40 && expired.isEmpty(); i++) {
            Thread.sleep(250);
            expired = admin.get("api/audit?user=" + alice).json().getJsonArray("events").getValuesAs(JsonObject.class)
                    .stream().filter(e -> e.getString("event").equals("TOKEN_EXPIRED")).toList();
        }

        assertEquals(1, expired.size(), "one expiry event");
        assertEquals(created.getJsonNumber("id").longValue(), expired.get(0).getJsonNumber("token_id").longValue());
        assertEquals(created.getString("expires_at"), expired.get(0).getString("at"));
    }

    @Test
    void theTrailIsPagedNewestFirst() {
        Api admin = Api.browser(base).login(Deployments.ADMIN, Deployments.adminPassword());
        String token = admin.createToken(null);
        admin.createToken(null);
        admin.createToken(null);

        JsonObject page1 = admin.get("api/audit?user=admin&limit=2").json();
        JsonObject page2 = admin.get("api/audit?user=admin&limit=2&offset=2").json();

        assertEquals(2, page1.getJsonArray("events").size());
        assertEquals(2, page1.getInt("next_offset"));
        long newest = page1.getJsonArray("events").getJsonObject(0).getJsonNumber("id").longValue();
        long third = page2.getJsonArray("events").getJsonObject(0).getJsonNumber("id").longValue();
        assertTrue(newest > third, "newest first");
        JsonObject all = admin.get("api/audit?user=admin&limit=500").json();
        assertEquals(JsonValue.NULL, all.get("next_offset"), "no page after the last");
        assertTrue(token.length() > 0);
    }

    @Test
    void onlyAdminsReadTheTrailAndBadPagingIsA400() {
        String alice = Users.create(base, "alice");
        Api aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);
        assertFailure(aliceBrowser.get("api/audit?user=" + alice), 403, "Admin only.");

        Api admin = Api.browser(base).login(Deployments.ADMIN, Deployments.adminPassword());
        assertFailure(admin.get("api/audit?limit=0"), 400, "limit must be between 1 and 500.");
        assertFailure(admin.get("api/audit?limit=501"), 400, "limit must be between 1 and 500.");
        assertFailure(admin.get("api/audit?offset=-1"), 400, "offset must be a whole number >= 0.");
    }
}
