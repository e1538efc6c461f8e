package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
import jakarta.json.JsonString;

/**
 * Token scopes over HTTP (issue 15): asked for as a JSON array or a repeated form or query parameter, listed,
 * kept through rotation, and honoured by the built-in endpoints: a read-only token reads, and is refused every
 * change with a 403 that names the scope it lacks.
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ScopesIT {

    private static final String LACKS_WRITE = "This token lacks the scope 'write'.";
    private static final String FORM = "application/x-www-form-urlencoded";

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api curl;
    private Api aliceBrowser;

    @BeforeEach
    void aliceIsLoggedIn() {
        curl = Api.client(base);
        aliceBrowser = Api.browser(base).login(Users.create(base, "alice"), Users.PASSWORD);
    }

    /** The scopes of each of the caller's tokens, by id, as {@code GET /api/tokens} lists them. */
    private Map<Long, List<String>> scopesListed() {
        return aliceBrowser.get("api/tokens").json().getJsonArray("tokens").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(t -> t.getJsonNumber("id").longValue(), t -> t.getJsonArray("scopes")
                        .getValuesAs(JsonString.class).stream().map(JsonString::getString).toList()));
    }

    private JsonObject created(Api.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private String readOnlyToken() {
        return created(aliceBrowser.postJson("api/create_token", "{\"scopes\": [\"read\"]}")).getString("token");
    }

    @Test
    void scopesAreAskedForAsAJsonArrayOrARepeatedFormOrQueryParameterAndListed() {
        long json = created(aliceBrowser.postJson("api/create_token", "{\"scopes\": [\"read\"], \"label\": \"ro\"}"))
                .getJsonNumber("id").longValue();
        long form = created(aliceBrowser.post("api/create_token", "scopes=write&scopes=read", "Content-Type", FORM))
                .getJsonNumber("id").longValue();
        long query = created(aliceBrowser.get("api/create_token?scopes=read")).getJsonNumber("id").longValue();
        long none = created(aliceBrowser.post("api/create_token", null)).getJsonNumber("id").longValue();

        assertEquals(Map.of(json, List.of("read"), form, List.of("read", "write"), query, List.of("read"),
                none, List.of("read", "write")), scopesListed());
    }

    @Test
    void aReadOnlyTokenReadsButIsRefusedEveryChangeWith403NamingTheScope() {
        String readOnly = readOnlyToken();
        Map<Long, List<String>> before = scopesListed();

        assertEquals(200, curl.get("api/whoami", Api.auth(readOnly)).status());
        assertEquals(200, curl.get("api/tokens", Api.auth(readOnly)).status());
        assertFailure(curl.post("api/create_token", null, Api.auth(readOnly)), 403, LACKS_WRITE);
        assertFailure(curl.get("api/create_token", Api.auth(readOnly)), 403, LACKS_WRITE);
        assertFailure(curl.postJson("api/create_token", "{\"scopes\": [\"read\"]}", Api.auth(readOnly)), 403,
                LACKS_WRITE);
        assertFailure(curl.postJson("api/revoke_token", "{\"token\": \"" + readOnly + "\"}", Api.auth(readOnly)), 403,
                LACKS_WRITE);
        assertFailure(curl.post("api/rotate_token", null, Api.auth(readOnly)), 403, LACKS_WRITE);

        assertEquals(before, scopesListed(), "nothing should have changed");
        assertEquals(200, curl.get("api/whoami", Api.auth(readOnly)).status(), "the token should still work");
    }

    private Api.Reply head(String path, String token) {
        return curl.send("HEAD", path, BodyPublishers.noBody(), Api.auth(token));
    }

    @Test
    void headIsAReadAnsweredAsTheGetWithoutABody() {
        String readOnly = readOnlyToken();
        String writeOnly = created(aliceBrowser.postJson("api/create_token", "{\"scopes\": [\"write\"]}"))
                .getString("token");
        Map<Long, List<String>> before = scopesListed();

        for (String path : List.of("api/whoami", "api/tokens", "api/session")) {
            Api.Reply get = curl.get(path, Api.auth(readOnly));
            Api.Reply head = head(path, readOnly);
            assertEquals(200, head.status(), path);
            assertEquals("", head.body(), path);
            assertEquals(ApiAssertions.JSON_TYPE, head.header("Content-Type").orElse(null), path);
            assertEquals("no-store", head.header("Cache-Control").orElse(null), path);
            head.header("Content-Length").ifPresent(length -> assertEquals(
                    get.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(length), path));
        }
        Api.Reply refused = head("api/whoami", writeOnly);
        assertEquals(403, refused.status(), "HEAD needs read");
        assertEquals("", refused.body());
        Api.Reply headCreate = head("api/create_token", readOnly);
        assertEquals(405, headCreate.status(), "HEAD would make a token no one sees");
        assertEquals("GET, POST", headCreate.header("Allow").orElse(null));

        assertEquals(before, scopesListed(), "nothing should have changed");
    }

    @Test
    void anUnknownScopeOrNoneAtAllIsA400AndCreatesNothing() {
        assertFailure(aliceBrowser.postJson("api/create_token", "{\"scopes\": [\"read\", \"admin\"]}"), 400,
                "Unknown scope 'admin'; the scopes are introspect, read, write.");
        assertFailure(aliceBrowser.get("api/create_token?scopes=Read"), 400,
                "Unknown scope 'Read'; the scopes are introspect, read, write.");
        assertFailure(aliceBrowser.postJson("api/create_token", "{\"scopes\": []}"), 400,
                "scopes must name at least one scope.");
        assertFailure(aliceBrowser.postJson("api/create_token", "{\"scopes\": \"read\"}"), 400,
                "Field 'scopes' must be an array of strings.");

        assertEquals(Map.of(), scopesListed());
    }

    @Test
    void aTokenCannotGiveAScopeItLacks() {
        String readOnly = readOnlyToken();
        String writeOnly = created(aliceBrowser.postJson("api/create_token", "{\"scopes\": [\"write\"]}"))
                .getString("token");

        // Without write, no token is made at all: 403; with write, a scope the token lacks is a 400.
        assertFailure(curl.postJson("api/create_token", "{\"scopes\": [\"read\", \"write\"]}", Api.auth(readOnly)),
                403, LACKS_WRITE);
        assertFailure(curl.postJson("api/create_token", "{\"scopes\": [\"read\", \"write\"]}", Api.auth(writeOnly)),
                400, "A token can give only scopes it has itself; the token that makes this request lacks 'read'.");
        assertEquals(2, scopesListed().size());
        JsonObject subset = created(curl.postJson("api/create_token", "{\"scopes\": [\"write\"]}",
                Api.auth(writeOnly)));
        assertEquals(List.of("write"), scopesListed().get(subset.getJsonNumber("id").longValue()));
    }

    @Test
    void rotationKeepsTheScopesUnlessItIsAskedForFewer() {
        JsonObject readOnly = created(aliceBrowser.postJson("api/create_token", "{\"scopes\": [\"read\"]}"));
        String full = aliceBrowser.createToken(null);

        JsonObject kept = created(aliceBrowser.postJson("api/rotate_token",
                "{\"id\": " + readOnly.getJsonNumber("id") + ", \"grace_seconds\": 0}"));
        JsonObject narrowed = created(curl.post("api/rotate_token", "grace_seconds=0&scopes=read",
                "Content-Type", FORM, "Authorization", "Token " + full));
        JsonObject itself = created(curl.postJson("api/rotate_token", "{\"grace_seconds\": 0}",
                Api.auth(aliceBrowser.createToken(null))));

        Map<Long, List<String>> listed = scopesListed();
        assertEquals(List.of("read"), listed.get(kept.getJsonNumber("id").longValue()));
        assertEquals(List.of("read"), listed.get(narrowed.getJsonNumber("id").longValue()));
        assertEquals(List.of("read", "write"), listed.get(itself.getJsonNumber("id").longValue()));
        assertEquals(3, listed.size(), "the old tokens should have ended");
    }

    @Test
    void withoutScopesTheDocumentedFlowsGetEveryScope() {
        String first = aliceBrowser.createToken(null);
        String second = curl.createToken(first);
        curl.postJson("api/revoke_token", "{\"token\": \"" + first + "\"}", Api.auth(second));
        String third = curl.createToken(second);

        assertEquals(200, curl.get("api/whoami", Api.auth(third)).status());
        assertEquals(List.of(List.of("read", "write"), List.of("read", "write")), List.copyOf(scopesListed().values()));
    }

    @Test
    void anAdminsReadOnlyTokenReadsTheAdminEndpointsButChangesNothing() {
        Api admin = Api.browser(base).login(Users.createAdmin(base, "root"), Users.PASSWORD);
        String readOnly = created(admin.postJson("api/create_token", "{\"scopes\": [\"read\"]}")).getString("token");
        String alicesReadOnly = readOnlyToken();

        assertEquals(200, curl.get("api/users", Api.auth(readOnly)).status());
        assertFailure(curl.postJson("api/users", "{\"username\": \"nobody\", \"password\": \"long enough\"}",
                Api.auth(readOnly)), 403, LACKS_WRITE);
        assertFailure(curl.get("api/users", Api.auth(alicesReadOnly)), 403, "Admin only.");
    }
}
