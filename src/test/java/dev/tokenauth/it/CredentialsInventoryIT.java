package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
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

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** The credentials inventory (issue 24): every user's tokens for admins, filtered, paged, revocable with a reason. */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CredentialsInventoryIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api curl;
    private Api admin;
    private String bob;
    private Api bobBrowser;

    @BeforeEach
    void bobHasABrowserSession() {
        curl = Api.client(base);
        admin = Users.admin(base);
        bob = Users.create(base, "bob");
        bobBrowser = Api.browser(base).login(bob, Users.PASSWORD);
    }

    private List<JsonObject> inventory(String query) {
        Api.Reply reply = admin.get("api/admin/tokens?owner=" + bob + query);
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getJsonArray("tokens").getValuesAs(JsonObject.class);
    }

    private static List<String> prefixes(List<JsonObject> tokens) {
        return tokens.stream().map(t -> t.getString("display_prefix")).toList();
    }

    private static String prefix(String token) {
        return token.substring(0, 10);
    }

    @Test
    void onlyAnAdminMayListOrRevokeEveryUsersTokens() {
        String bobs = bobBrowser.createToken(null);

        assertFailure(bobBrowser.get("api/admin/tokens"), 403, "Admin only.");
        assertFailure(curl.get("api/admin/tokens", Api.auth(bobs)), 403, "Admin only.");
        assertFailure(bobBrowser.postJson("api/admin/tokens/revoke", "{\"id\": 1, \"reason\": \"x\"}"), 403,
                "Admin only.");
        assertEquals(200, curl.get("api/whoami", Api.auth(bobs)).status());
    }

    @Test
    void theFiltersSelectByOwnerExpiryUseAndScopeAndNoSecretIsShown() {
        String everything = bobBrowser.createToken(null);
        String threeDays = bobBrowser.postJson("api/create_token", "{\"expires_in\": 259200}").json().getString("token");
        String readOnly = bobBrowser.postJson("api/create_token", "{\"scopes\": [\"read\"]}").json().getString("token");
        assertEquals(200, curl.get("api/whoami", Api.auth(everything)).status());

        Api.Reply all = admin.get("api/admin/tokens?owner=" + bob);
        assertEquals(List.of(prefix(everything), prefix(threeDays), prefix(readOnly)),
                prefixes(all.json().getJsonArray("tokens").getValuesAs(JsonObject.class)));
        for (String secret : List.of(everything, threeDays, readOnly)) {
            assertFalse(all.body().contains(secret.substring(10)), "no secret in the inventory");
        }
        all.json().getJsonArray("tokens").getValuesAs(JsonObject.class)
                .forEach(t -> assertEquals(bob, t.getString("owner")));
        assertEquals(List.of(prefix(threeDays)), prefixes(inventory("&expiring_within_days=3")));
        assertEquals(List.of(), prefixes(inventory("&expiring_within_days=2")), "it expires in 3 days less a moment");
        assertEquals(List.of(prefix(threeDays), prefix(readOnly)), prefixes(inventory("&never_used=true")));
        assertEquals(List.of(prefix(everything), prefix(threeDays), prefix(readOnly)),
                prefixes(inventory("&unused_for_days=0")), "unused since now: every token");
        assertEquals(List.of(), prefixes(inventory("&unused_for_days=1")));
        assertEquals(List.of(prefix(everything), prefix(threeDays)), prefixes(inventory("&scope=write")));
        assertFailure(admin.get("api/admin/tokens?limit=0"), 400, "limit must be a whole number from 1 to 200.");
        assertFailure(admin.get("api/admin/tokens?unused_for_days=-1"), 400,
                "unused_for_days must be a whole number from 0 to 36500.");
        assertFailure(admin.get("api/admin/tokens?colour=red"), 400,
                "Unknown field 'colour'; this request reads cursor, expiring_within_days, limit, never_used, owner,"
                        + " scope, unused_for_days.");
    }

    @Test
    void pagingByCursorIsStableWhileTokensAreCreated() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(prefix(bobBrowser.createToken(null)));
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Reply page = admin.get("api/admin/tokens?limit=2&owner=" + bob + (cursor == null ? "" : "&cursor="
                    + cursor));
            assertEquals(200, page.status(), page.body());
            seen.addAll(prefixes(page.json().getJsonArray("tokens").getValuesAs(JsonObject.class)));
            cursor = page.json().isNull("next_cursor") ? null : page.json().getString("next_cursor");
            if (pages++ == 0) {
                made.add(prefix(bobBrowser.createToken(null))); // made while the pages are read: it comes last
            }
        } while (cursor != null && pages < 10);

        assertEquals(made, seen, "each token once, in order, the one made meanwhile at the end");
        assertEquals(3, pages);
    }

    @Test
    void anAdminRevokesWithAReasonThatTheOwnerReadsAndTheAuditTrailNamesTheAdmin() {
        String bobs = bobBrowser.createToken(null);
        long id = inventory("").get(0).getJsonNumber("id").longValue();

        assertFailure(admin.postJson("api/admin/tokens/revoke", "{\"id\": " + id + "}"), 400,
                "reason is required: say why the token is revoked.");
        assertEquals(200, curl.get("api/whoami", Api.auth(bobs)).status(), "no reason, no revocation");
        Api.Reply revoked = admin.postJson("api/admin/tokens/revoke", "{\"id\": " + id
                + ", \"reason\": \"found in a public repository\"}");

        assertEquals(200, revoked.status(), revoked.body());
        assertEquals(Json.object("id", id), revoked.json());
        ApiAssertions.assertInvalidToken(curl.get("api/whoami", Api.auth(bobs)));
        assertFailure(admin.postJson("api/admin/tokens/revoke", "{\"id\": " + id + ", \"reason\": \"again\"}"), 404,
                "Token not found.");
        JsonObject listed = bobBrowser.get("api/tokens").json();
        assertEquals(0, listed.getJsonArray("tokens").size());
        JsonObject ended = listed.getJsonArray("revoked").getJsonObject(0);
        assertEquals(id, ended.getJsonNumber("id").longValue());
        assertEquals(Deployments.ADMIN, ended.getString("revoked_by"));
        assertEquals("found in a public repository", ended.getString("reason"));
        List<JsonObject> events = admin.get("api/audit?user=" + bob).json().getJsonArray("events")
                .getValuesAs(JsonObject.class);
        JsonObject event = events.stream().filter(e -> e.getString("event").equals("TOKEN_REVOKED")).findFirst()
                .orElseThrow(() -> new AssertionError(events.toString()));
        assertEquals(Deployments.ADMIN, event.getString("acting_user"));
        assertEquals("by an admin from the credentials inventory; reason: found in a public repository",
                event.getString("detail"));
        assertTrue(event.get("token_id") != JsonValue.NULL);
    }

    /** A tiny JSON object builder for the expected answers. */
    private static final class Json {
        static JsonObject object(String key, long value) {
            return jakarta.json.Json.createObjectBuilder().add(key, value).add("success", true).build();
        }
    }
}
