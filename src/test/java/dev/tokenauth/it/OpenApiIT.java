package dev.tokenauth.it;

import static dev.tokenauth.it.OpenApiContract.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tokenauth.client.ApiClient;
import dev.tokenauth.client.api.TokensApi;
import dev.tokenauth.client.model.CreateTokenRequest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The OpenAPI document at /openapi.yaml is true of the running server: it is served without a token, it is a valid
 * OpenAPI 3.1 document, and real requests and responses of every endpoint, successes and refusals, agree with it
 * (see {@link OpenApiContract}). The client that openapi-generator made from it at build time talks to the server.
 */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OpenApiIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private OpenApiContract contract;

    @BeforeEach
    void readTheServedDocument() {
        Api.Reply document = Api.http11Client(base).get("openapi.yaml");
        assertEquals(200, document.status(), document.body());
        contract = OpenApiContract.of(document.body());
    }

    @AfterEach
    void closeValidator() {
        contract.close();
    }

    @Test
    void theDocumentIsServedWithoutATokenAsYamlAndIsOpenApi31WithoutAParserMessage() {
        Api.Reply reply = contract.send(Api.http11Client(base), call("openApiDocument", "GET", "openapi.yaml"));

        assertEquals(200, reply.status());
        assertEquals("application/yaml", reply.header("Content-Type").orElse("").split(";")[0]);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(reply.body(), null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser's messages");
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        assertTrue(parsed.getOpenAPI().getPaths().size() >= 20, "paths: " + parsed.getOpenAPI().getPaths().keySet());
    }

    @Test
    void tokensAreCreatedListedRotatedAndRevokedAsDocumented() {
        String alice = Users.create(base, "alice");
        Api browser = Api.browser(base);
        contract.send(browser, call("loginForm", "GET", "login"));
        Api.Reply login = contract.send(browser, call("login", "POST", "login")
                .form("username=" + alice + "&password=" + Users.PASSWORD.replace(' ', '+')));
        assertEquals(303, login.status());
        assertEquals(200, contract.send(browser, call("accountPage", "GET", "")).status());
        assertEquals(200, contract.send(browser, call("describeSession", "GET", "api/session")).status());

        String token = contract.send(browser, call("createToken", "POST", "api/create_token")).json().getString("token");
        Api curl = Api.client(base);
        assertEquals(200, contract.send(curl, call("createTokenByGet", "GET", "api/create_token?expires_in=86400&label=ci")
                .token(token)).status());
        Api.Reply byJson = contract.send(curl, call("createToken", "POST", "api/create_token").token(token)
                .json("{\"expires_in\": 3600, \"label\": \"json\"}"));
        assertEquals(200, byJson.status());
        assertEquals(200, contract.send(curl, call("createToken", "POST", "api/create_token").token(token)
                .form("label=form")).status());
        assertEquals(200, contract.send(curl, call("whoAmI", "GET", "api/whoami").token(token)).status());
        assertEquals(200, contract.send(curl, call("listTokens", "GET", "api/tokens").token(token)).status());
        assertEquals(200, contract.send(curl, call("describeSession", "GET", "api/session").token(token)).status());

        Api.Reply rotated = contract.send(curl, call("rotateToken", "POST", "api/rotate_token").token(token)
                .json("{\"grace_seconds\": 60}"));
        assertEquals(200, rotated.status());
        String successor = rotated.json().getString("token");
        // The rotated token, in its grace period, may not create (403); rotating it again is a conflict (409).
        assertEquals(403, contract.send(curl, call("createToken", "POST", "api/create_token").token(token)).status());
        assertEquals(409, contract.send(curl, call("rotateToken", "POST", "api/rotate_token").token(successor)
                .json("{\"token\": \"" + token + "\"}")).status());
        assertEquals(200, contract.send(curl, call("rotateToken", "POST", "api/rotate_token").token(successor)
                .form("grace_seconds=0&label=rotated")).status());

        long id = byJson.json().getJsonNumber("id").longValue();
        assertEquals(200, contract.send(curl, call("revokeToken", "POST", "api/revoke_token").token(token)
                .json("{\"id\": " + id + "}")).status());
        assertEquals(404, contract.send(curl, call("revokeToken", "POST", "api/revoke_token").token(token)
                .json("{\"id\": " + id + "}")).status());
        assertEquals(200, contract.send(browser, call("revokeToken", "POST", "api/revoke_token")
                .json("{\"token\": \"" + token + "\"}")).status());
        // Revoked: the one answer for any unusable token, with its challenge.
        assertEquals(401, contract.send(curl, call("whoAmI", "GET", "api/whoami").token(token)).status());
        // The listing now has revoked tokens too; a replaced token reused to rotate is the one 401.
        String fresh = contract.send(browser, call("createToken", "POST", "api/create_token")).json().getString("token");
        String next = contract.send(curl, call("rotateToken", "POST", "api/rotate_token").token(fresh)
                .json("{\"grace_seconds\": 0}")).json().getString("token");
        assertEquals(200, contract.send(curl, call("whoAmI", "GET", "api/whoami").token(next)).status());
        assertEquals(401, contract.send(curl, call("rotateToken", "POST", "api/rotate_token").token(fresh)).status());
        Api.Reply listed = contract.send(browser, call("listTokens", "GET", "api/tokens"));
        assertEquals(200, listed.status());
        assertTrue(listed.json().getJsonArray("revoked").size() >= 2, listed.body());

        assertEquals(303, contract.send(browser, call("logout", "POST", "logout")).status());
        assertEquals(303, contract.send(browser, call("accountPageByName", "GET", "account")).status());
        assertEquals(401, contract.send(browser, call("listTokens", "GET", "api/tokens")).status());
    }

    @Test
    void refusedRequestsGetTheDocumentedAnswers() {
        String token = Api.browser(base).login(Users.create(base, "bob"), Users.PASSWORD).createToken(null);
        Api curl = Api.client(base);

        assertEquals(401, contract.send(curl, call("whoAmI", "GET", "api/whoami")).status());
        assertEquals(401, contract.send(curl, call("whoAmI", "GET", "api/whoami").header("Authorization", "Basic x"))
                .status());
        assertEquals(400, contract.send(curl, call("revokeToken", "POST", "api/revoke_token").token(token)
                .json("{\"expire_in\": 1}").invalid()).status());
        assertEquals(400, contract.send(curl, call("revokeToken", "POST", "api/revoke_token").token(token)
                .json("{\"token\": \"a\", \"id\": 1}").invalid()).status());
        assertEquals(400, contract.send(curl, call("revokeToken", "POST", "api/revoke_token").token(token)
                .invalid()).status());
        assertEquals(400, contract.send(curl, call("createToken", "POST", "api/create_token").token(token)
                .json("{\"expires_in\": \"soon\"}").invalid()).status());
        assertEquals(400, contract.send(curl, call("createTokenByGet", "GET", "api/create_token?expires_in=0")
                .token(token).invalid()).status());
        assertEquals(400, contract.send(curl, call("rotateToken", "POST", "api/rotate_token").token(token)
                .form("{\"grace_seconds\": 0}").invalid()).status());
        // A query parameter where none is read is refused; OpenAPI cannot forbid undeclared parameters, so the
        // document allows the request and says so in words.
        assertEquals(400, contract.send(curl, call("whoAmI", "GET", "api/whoami?verbose=1").token(token)).status());
        assertEquals(415, contract.send(curl, call("revokeToken", "POST", "api/revoke_token").token(token)
                .body("text/plain", "x").invalid()).status());
        assertEquals(415, contract.send(curl, call("revokeToken", "POST", "api/revoke_token").token(token)
                .form("token=x").invalid()).status());
        assertEquals(413, contract.send(curl, call("createToken", "POST", "api/create_token").token(token)
                .json("{\"label\": \"" + "x".repeat(70 * 1024) + "\"}").invalid()).status());
        assertEquals(403, contract.send(curl, call("listUsers", "GET", "api/users").token(token)).status());
        assertEquals(403, contract.send(curl, call("readAuditTrail", "GET", "api/audit").token(token)).status());

        // A browser's session request without the CSRF token, and one from another site.
        Api browser = Api.browser(base).login(Users.create(base, "carol"), Users.PASSWORD);
        assertEquals(403, contract.send(browser, call("createToken", "POST", "api/create_token")
                .header("Sec-Fetch-Site", "same-origin")).status());
        assertEquals(403, contract.send(browser, call("listTokens", "GET", "api/tokens")
                .header("Sec-Fetch-Site", "cross-site")).status());
        String csrf = browser.get("api/session").json().getString("csrf_token");
        assertEquals(200, contract.send(browser, call("createToken", "POST", "api/create_token")
                .header("Sec-Fetch-Site", "same-origin").header("X-CSRF-Token", csrf)).status());
        assertEquals(403, contract.send(browser, call("adminPage", "GET", "admin")).status());
        assertEquals(403, contract.send(Api.client(base), call("login", "POST", "login")
                .header("Sec-Fetch-Site", "cross-site").form("username=a&password=b")).status());
        assertEquals(401, contract.send(Api.client(base), call("login", "POST", "login")
                .form("username=nobody&password=wrong")).status());
        assertEquals(401, contract.send(Api.client(base), call("login", "POST", "login").header("Accept", "text/html")
                .form("username=nobody&password=wrong")).status());
        assertEquals(400, contract.send(Api.client(base), call("login", "POST", "login?password=wrong")
                .form("username=nobody&password=wrong")).status());
        assertEquals(400, contract.send(Api.client(base), call("login", "POST", "login")
                .form("username=nobody%0Aelse&password=wrong")).status());

        // A browser's session GET of create_token that says nothing of where it comes from.
        assertEquals(403, contract.send(browser, call("createTokenByGet", "GET", "api/create_token")
                .header("User-Agent", "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1)")).status());
    }

    @Test
    void theTokenLimitIsADocumentedConflict() {
        String token = Api.browser(base).login(Users.create(base, "dave"), Users.PASSWORD).createToken(null);
        Api curl = Api.client(base);
        Api.Reply reply;
        int created = 0;
        do {
            reply = contract.send(curl, call("createToken", "POST", "api/create_token").token(token));
            created++;
        } while (reply.status() == 200 && created < 20);
        assertEquals(409, reply.status(), reply.body());
    }

    @Test
    void administrationAndActingAsAreAsDocumented() {
        // An admin of the test's own: the first admin's token limit is shared by every class of the run.
        String adminName = Users.createAdmin(base, "openapi-admin");
        Api admin = Api.browser(base).login(adminName, Users.PASSWORD);
        String adminToken = admin.createToken(null);
        Api curl = Api.client(base);
        String erin = "erin-" + Long.toHexString(System.nanoTime());

        assertEquals(201, contract.send(curl, call("createUser", "POST", "api/users").token(adminToken)
                .json("{\"username\": \"" + erin + "\", \"password\": \"" + Users.PASSWORD + "\"}")).status());
        assertEquals(409, contract.send(curl, call("createUser", "POST", "api/users").token(adminToken)
                .json("{\"username\": \"" + erin + "\", \"password\": \"" + Users.PASSWORD + "\"}")).status());
        assertEquals(400, contract.send(curl, call("createUser", "POST", "api/users").token(adminToken)
                .json("{\"username\": \"no spaces\", \"password\": \"" + Users.PASSWORD + "\"}").invalid()).status());
        assertEquals(200, contract.send(curl, call("listUsers", "GET", "api/users").token(adminToken)).status());
        assertEquals(200, contract.send(curl, call("readAuditTrail", "GET", "api/audit?user=" + erin + "&limit=5")
                .token(adminToken)).status());
        assertEquals(200, contract.send(curl, call("readAuditTrail", "GET", "api/audit?limit=1").token(adminToken))
                .status());
        assertEquals(400, contract.send(curl, call("readAuditTrail", "GET", "api/audit?limit=0").token(adminToken)
                .invalid()).status());

        assertEquals(200, contract.send(admin, call("startActingAs", "POST", "api/act_as")
                .json("{\"username\": \"" + erin + "\"}")).status());
        assertEquals(200, contract.send(admin, call("describeSession", "GET", "api/session")).status());
        assertEquals(200, contract.send(admin, call("stopActingAs", "POST", "api/act_as/stop")).status());
        assertEquals(409, contract.send(admin, call("stopActingAs", "POST", "api/act_as/stop")).status());
        assertEquals(400, contract.send(curl, call("startActingAs", "POST", "api/act_as").token(adminToken)
                .json("{\"username\": \"" + erin + "\"}")).status());
        assertEquals(404, contract.send(admin, call("startActingAs", "POST", "api/act_as")
                .json("{\"username\": \"nobody-" + erin + "\"}")).status());
        String otherAdmin = erin + "-admin";
        assertEquals(201, contract.send(curl, call("createUser", "POST", "api/users").token(adminToken)
                .json("{\"username\": \"" + otherAdmin + "\", \"password\": \"" + Users.PASSWORD
                        + "\", \"admin\": true}")).status());
        assertEquals(403, contract.send(admin, call("startActingAs", "POST", "api/act_as")
                .json("{\"username\": \"" + otherAdmin + "\"}")).status());

        assertEquals(200, contract.send(curl, call("resetPassword", "POST", "api/users/password").token(adminToken)
                .json("{\"username\": \"" + erin + "\", \"password\": \"another password\"}")).status());
        assertEquals(200, contract.send(curl, call("disableUser", "POST", "api/users/disable").token(adminToken)
                .json("{\"username\": \"" + erin + "\"}")).status());
        assertEquals(409, contract.send(admin, call("startActingAs", "POST", "api/act_as")
                .json("{\"username\": \"" + erin + "\"}")).status());
        assertEquals(200, contract.send(curl, call("enableUser", "POST", "api/users/enable").token(adminToken)
                .json("{\"username\": \"" + erin + "\"}")).status());
        assertEquals(404, contract.send(curl, call("disableUser", "POST", "api/users/disable").token(adminToken)
                .json("{\"username\": \"nobody-" + erin + "\"}")).status());
        assertEquals(409, contract.send(curl, call("disableUser", "POST", "api/users/disable").token(adminToken)
                .json("{\"username\": \"" + adminName + "\"}")).status());
        assertEquals(200, contract.send(admin, call("adminPage", "GET", "admin")).status());

        // The credentials inventory.
        Api.Reply page = contract.send(curl, call("listEveryUsersTokens", "GET",
                "api/admin/tokens?limit=1&owner=" + adminName).token(adminToken));
        assertEquals(200, page.status());
        assertEquals(200, contract.send(admin, call("listEveryUsersTokens", "GET",
                "api/admin/tokens?unused_for_days=0&never_used=false&scope=read&expiring_within_days=36500")).status());
        assertEquals(400, contract.send(curl, call("listEveryUsersTokens", "GET", "api/admin/tokens?limit=201")
                .token(adminToken).invalid()).status());
        String erinsToken = Api.browser(base).login(erin, "another password").createToken(null);
        long erinsId = contract.send(curl, call("listEveryUsersTokens", "GET", "api/admin/tokens?owner=" + erin)
                .token(adminToken)).json().getJsonArray("tokens").getJsonObject(0).getJsonNumber("id").longValue();
        assertEquals(400, contract.send(curl, call("revokeAnyUsersToken", "POST", "api/admin/tokens/revoke")
                .token(adminToken).json("{\"id\": " + erinsId + "}").invalid()).status());
        assertEquals(200, contract.send(curl, call("revokeAnyUsersToken", "POST", "api/admin/tokens/revoke")
                .token(adminToken).json("{\"id\": " + erinsId + ", \"reason\": \"test\"}")).status());
        assertEquals(404, contract.send(curl, call("revokeAnyUsersToken", "POST", "api/admin/tokens/revoke")
                .token(adminToken).json("{\"id\": " + erinsId + ", \"reason\": \"test\"}")).status());
        assertEquals(403, contract.send(curl, call("listEveryUsersTokens", "GET", "api/admin/tokens")
                .token(Api.browser(base).login(erin, "another password").createToken(null))).status());
        assertEquals(401, contract.send(curl, call("whoAmI", "GET", "api/whoami").token(erinsToken)).status());

        // Introspection, with a token an admin gave the scope introspect.
        String introspector = contract.send(admin, call("createToken", "POST", "api/create_token")
                .json("{\"scopes\": [\"introspect\"]}")).json().getString("token");
        String looked = Api.browser(base).login(erin, "another password").createToken(null);
        assertEquals(true, contract.send(curl, call("introspectToken", "POST", "api/introspect").token(introspector)
                .form("token=" + looked)).json().getBoolean("active"));
        assertEquals(false, contract.send(curl, call("introspectToken", "POST", "api/introspect").token(introspector)
                .json("{\"token\": \"" + erinsToken + "\"}")).json().getBoolean("active"));
        assertEquals(403, contract.send(curl, call("introspectToken", "POST", "api/introspect").token(looked)
                .json("{\"token\": \"" + looked + "\"}")).status());
    }

    @Test
    void metricsAreAsDocumented() {
        Api admin = Api.browser(base).login(Users.createAdmin(base, "openapi-metrics"), Users.PASSWORD);
        String userToken = Api.browser(base).login(Users.create(base, "hal"), Users.PASSWORD).createToken(null);
        Api curl = Api.client(base);

        assertEquals(200, contract.send(admin, call("metrics", "GET", "metrics")).status());
        assertEquals(200, contract.send(curl, call("metrics", "GET", "metrics").token(admin.createToken(null)))
                .status());
        assertEquals(401, contract.send(curl, call("metrics", "GET", "metrics")).status());
        assertEquals(403, contract.send(curl, call("metrics", "GET", "metrics").token(userToken)).status());
    }

    @Test
    void healthIsAsDocumented() {
        assertEquals(200, contract.send(Api.client(base), call("live", "GET", "health/live")).status());
        assertEquals(200, contract.send(Api.client(base), call("ready", "GET", "health/ready")).status());
    }

    @Test
    void answersNoOperationCanDeclareHaveTheDocumentedShape() {
        // A method an endpoint does not serve, and an unknown path under /api/: see the document's description.
        String token = Api.browser(base).login(Users.create(base, "frank"), Users.PASSWORD).createToken(null);
        Api.Reply wrongMethod = Api.client(base).send("DELETE", "api/create_token", BodyPublishers.noBody(),
                Api.auth(token));
        assertEquals(405, wrongMethod.status());
        assertEquals("GET, POST", wrongMethod.header("Allow").orElse(null));
        assertEquals("{\"msg\":\"Method DELETE not allowed; use GET, POST.\",\"success\":false}", wrongMethod.body());
        Api.Reply unknown = Api.client(base).get("api/no_such_thing", Api.auth(token));
        assertEquals(404, unknown.status());
        assertEquals("{\"msg\":\"No such API endpoint.\",\"success\":false}", unknown.body());
    }

    @Test
    void theClientGeneratedFromTheDocumentTalksToTheServer() throws Exception {
        String grace = Api.browser(base).login(Users.create(base, "gina"), Users.PASSWORD).createToken(null);
        ApiClient client = new ApiClient(
                java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1),
                ApiClient.createDefaultObjectMapper(), base.toString().replaceAll("/$", ""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Token " + grace));
        TokensApi tokens = new TokensApi(client);

        assertTrue(tokens.whoAmI().getUser().startsWith("gina-"));
        assertEquals(1, tokens.listTokens().getTokens().size());
        assertTrue(tokens.createToken(null, null, null,
                new CreateTokenRequest().label("generated")).getToken().startsWith("tka_"));
    }
}
