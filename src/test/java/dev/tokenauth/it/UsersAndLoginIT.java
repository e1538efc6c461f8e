package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpCookie;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The built-in login and the admin's user creation. */
@Tag("container")
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UsersAndLoginIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private Api admin() {
        return Api.browser(base).login(Deployments.ADMIN, Deployments.adminPassword());
    }

    private static String newName() {
        return "carol-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void loginAnswers303ToTheRootWithAnHttpOnlySameSiteLaxSessionCookie() {
        Api browser = Api.browser(base);
        Api.Reply reply = browser.postForm("login", "username", Deployments.ADMIN, "password", Deployments.adminPassword());

        assertEquals(303, reply.status());
        assertEquals(browser.uri("").getPath(), reply.header("Location").map(l -> l.replaceFirst("^https?://[^/]+", "")).orElse(null));
        // By name: the login sets the device cookie too, in whatever order the container writes them.
        String cookie = reply.allHeaders("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst()
                .orElseThrow(() -> new AssertionError(reply.allHeaders("Set-Cookie").toString()));
        assertTrue(cookie.contains("; HttpOnly"), "HttpOnly: " + cookie);
        // Attribute values are case-insensitive (RFC 6265bis); Payara writes "lax".
        assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("; samesite=lax"), "SameSite=Lax: " + cookie);
        assertJson(browser.get("api/whoami"), 200, "{\"user\":\"admin\",\"success\":true}");
    }

    @Test
    void everyLoginGetsANewSessionIdAndTheOldOneStopsWorking() {
        Api browser = admin();
        String before = sessionId(browser);
        Api thief = Api.browser(base);
        // Every cookie of the session: Payara keeps a distributable application's session version in a second one
        // (JSESSIONIDVERSION), which a thief copies as well.
        for (HttpCookie cookie : browser.cookies().getCookieStore().getCookies()) {
            HttpCookie stolen = new HttpCookie(cookie.getName(), cookie.getValue());
            stolen.setPath("/");
            stolen.setVersion(0);
            thief.cookies().getCookieStore().add(thief.uri(""), stolen);
        }
        assertEquals(200, thief.get("api/whoami").status(), "the copied cookies should work before the new login");

        browser.login(Deployments.ADMIN, Deployments.adminPassword());

        assertNotEquals(before, sessionId(browser), "the session id must change at login");
        assertNotLoggedIn(thief.get("api/whoami"));
        assertEquals(200, browser.get("api/whoami").status());
    }

    @Test
    void wrongCredentialsGet401AndLeaveNoUserInTheSession() {
        String alice = Users.create(base, "alice");
        Api browser = Api.browser(base).login(alice, Users.PASSWORD);

        assertFailure(browser.postForm("login", "username", alice, "password", "wrong password"), 401,
                "Invalid username or password.");
        assertNotLoggedIn(browser.post("api/create_token", null));

        assertFailure(Api.browser(base).postForm("login", "username", "nobody-" + UUID.randomUUID(), "password",
                Users.PASSWORD), 401, "Invalid username or password.");
        assertFailure(Api.browser(base).postForm("login"), 401, "Invalid username or password.");
    }

    @Test
    void aBrowserThatAsksForHtmlGetsTheFormBackWithTheError() {
        Api.Reply reply = Api.browser(base).send("POST", "login",
                java.net.http.HttpRequest.BodyPublishers.ofString("username=admin&password=wrong"),
                "Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html");
        assertEquals(401, reply.status());
        assertEquals("text/html;charset=UTF-8", reply.header("Content-Type").orElse(null));
        assertTrue(reply.body().contains("Invalid username or password."), reply.body());
        assertTrue(reply.body().contains("<form id=\"login-form\" method=\"post\" action=\"login\">"), reply.body());
        assertTrue(reply.body().contains("<p class=\"error\" role=\"alert\">Invalid username or password.</p>"), reply.body());
    }

    @Test
    void credentialsInTheUrlAreRefusedBeforeAnyCheckAndLogNobodyIn() {
        String alice = Users.create(base, "alice");
        Api browser = Api.browser(base);
        String message = "Never put credentials in a URL: send 'username' and 'password' in the request body.";

        String password = URLEncoder.encode(Users.PASSWORD, StandardCharsets.UTF_8);
        assertFailure(browser.post("login?username=" + alice + "&password=" + password, null), 400, message);
        assertFailure(browser.post("login?next=/", "username=" + alice + "&password=" + password,
                "Content-Type", "application/x-www-form-urlencoded"), 400, message);

        assertNotLoggedIn(browser.get("api/whoami"));
        assertEquals(303, browser.postForm("login", "username", alice, "password", Users.PASSWORD).status());
    }

    @Test
    void aNameWithSurroundingSpacesLogsInAsTheAccountWithoutThem() {
        String alice = Users.create(base, "alice");
        Api browser = Api.browser(base);

        assertEquals(303, browser.postForm("login", "username", " " + alice + " ", "password", Users.PASSWORD).status());

        assertJson(browser.get("api/whoami"), 200, "{\"user\":\"" + alice + "\",\"success\":true}");
    }

    @Test
    void theLoginFormIsServed() {
        Api.Reply reply = Api.client(base).get("login");
        assertEquals(200, reply.status());
        assertTrue(reply.body().contains("name=\"password\" type=\"password\""), reply.body());
        assertTrue(reply.header("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    }

    @Test
    void aCrossSiteLoginIsRefused() {
        Api browser = Api.browser(base);
        Api.Reply reply = browser.send("POST", "login",
                java.net.http.HttpRequest.BodyPublishers.ofString("username=admin&password=" + Deployments.adminPassword()),
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example");
        assertFailure(reply, 403, "Cross-site request refused.");
        assertNotLoggedIn(browser.get("api/whoami"));
    }

    @Test
    void logoutEndsTheSession() {
        Api browser = admin();
        Api.Reply reply = browser.post("logout", null);
        assertEquals(303, reply.status());
        assertTrue(reply.header("Location").orElse("").endsWith("/login"), reply.header("Location").orElse(""));
        assertNotLoggedIn(browser.get("api/whoami"));
    }

    @Test
    void theAdminCreatesAUserWhoCanThenLogIn() {
        String name = newName();
        Api.Reply reply = admin().postJson("api/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + Users.PASSWORD + "\",\"admin\":false}");

        assertJson(reply, 201, "{\"success\":true}");
        assertJson(Api.browser(base).login(name, Users.PASSWORD).get("api/whoami"), 200,
                "{\"user\":\"" + name + "\",\"success\":true}");
    }

    @Test
    void theAdminCreatesUsersWithAToken() {
        String adminToken = admin().createToken(null);
        String name = newName();
        assertJson(Api.client(base).postJson("api/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + Users.PASSWORD + "\"}", Api.auth(adminToken)),
                201, "{\"success\":true}");
    }

    @Test
    void aNonAdminIsRefusedAndNoUserIsCreated() {
        String alice = Users.create(base, "alice");
        String name = newName();
        Api aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);

        assertFailure(aliceBrowser.postJson("api/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + Users.PASSWORD + "\",\"admin\":true}"), 403,
                "Admin only.");
        assertFailure(Api.browser(base).postForm("login", "username", name, "password", Users.PASSWORD), 401,
                "Invalid username or password.");
    }

    @Test
    void aTakenNameIsAConflictAndTheExistingUserIsUntouched() {
        String alice = Users.create(base, "alice");
        assertFailure(admin().postJson("api/users",
                "{\"username\":\"" + alice + "\",\"password\":\"another password\"}"), 409, "Username already taken.");
        assertEquals(200, Api.browser(base).login(alice, Users.PASSWORD).get("api/whoami").status());
    }

    @Test
    void badUserBodiesAreRefusedWith400() {
        Api admin = admin();
        List<String[]> cases = List.of(
                new String[] {"[]", "Request body must be a JSON object."},
                new String[] {"{\"password\":\"long enough\"}", "Missing field: username."},
                new String[] {"{\"username\":\"dave\"}", "Missing field: password."},
                new String[] {"{\"username\":7,\"password\":\"long enough\"}", "Field 'username' must be a string."},
                new String[] {"{\"username\":\"dave\",\"password\":\"long enough\",\"admin\":\"yes\"}",
                        "Field 'admin' must be true or false."},
                new String[] {"{\"username\":\"da ve\",\"password\":\"long enough\"}",
                        "Username must be 1 to 64 letters, digits or . _ @ -."},
                new String[] {"{\"username\":\"dave\",\"password\":\"short\"}", "Password must be 8 to 1024 characters."});
        for (String[] c : cases) {
            assertFailure(admin.postJson("api/users", c[0]), 400, c[1]);
        }
        assertFailure(Api.browser(base).postForm("login", "username", "dave", "password", "long enough"), 401,
                "Invalid username or password.");
    }

    private String sessionId(Api browser) {
        return browser.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("JSESSIONID")).findFirst().orElseThrow().getValue();
    }
}
