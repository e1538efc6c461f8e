package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Set;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The browser pages' access rules, the session endpoint and CSRF protection, over plain HTTP. */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SessionHardeningIT {

    private static final String CSRF_REFUSED = "Missing or invalid CSRF token; reload the page.";

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private String ownOrigin() {
        return base.getProtocol() + "://" + base.getAuthority();
    }

    private int tokenCount(Api session) {
        return session.get("api/tokens").json().getJsonArray("tokens").size();
    }

    @Test
    void theSessionEndpointGivesALoginSessionItsUserAndCsrfToken() {
        String bob = Users.create(base, "bob");
        Api browser = Api.browser(base).login(bob, Users.PASSWORD);

        JsonObject session = browser.get("api/session").json();

        assertEquals(Set.of("user", "acting_user", "admin", "via", "csrf_token", "success"), session.keySet());
        assertEquals(bob, session.getString("user"));
        assertTrue(session.isNull("acting_user"));
        assertEquals(false, session.getBoolean("admin"));
        assertEquals("session", session.getString("via"));
        assertEquals(43, session.getString("csrf_token").length());
        assertEquals(session.getString("csrf_token"), browser.get("api/session").json().getString("csrf_token"),
                "one token for the session's life");
    }

    @Test
    void aTokenCallerGetsNoCsrfToken() {
        String token = Users.admin(base).createToken(null);

        assertJson(Api.client(base).get("api/session", Api.auth(token)), 200,
                "{\"user\":\"admin\",\"acting_user\":null,\"admin\":true,\"via\":\"token\",\"success\":true}");
    }

    @Test
    void aBrowserChangeRidingOnTheSessionNeedsTheSessionsCsrfToken() {
        String bob = Users.create(base, "bob");
        Api browser = Api.browser(base).login(bob, Users.PASSWORD);
        String csrf = browser.get("api/session").json().getString("csrf_token");

        assertFailure(browser.post("api/create_token", null, "Sec-Fetch-Site", "same-origin"), 403, CSRF_REFUSED);
        assertFailure(browser.post("api/create_token", null, "Origin", ownOrigin()), 403, CSRF_REFUSED);
        assertFailure(browser.post("api/create_token", null, "Origin", ownOrigin(), "X-CSRF-Token", "x" + csrf),
                403, CSRF_REFUSED);
        assertEquals(0, tokenCount(browser), "no token was made by a refused call");

        Api.Reply made = browser.post("api/create_token", null, "Sec-Fetch-Site", "same-origin", "X-CSRF-Token", csrf);
        assertEquals(200, made.status(), made.body());
        assertEquals(1, tokenCount(browser));
    }

    @Test
    void aClientWithItsOwnCookieJarAndNoBrowserHeadersNeedsNoCsrfTokenAsTheDocsShow() {
        String bob = Users.create(base, "bob");
        Api curl = Api.browser(base).login(bob, Users.PASSWORD);

        assertEquals(200, curl.post("api/create_token", null).status());
    }

    @Test
    void aTokenNeedsNoCsrfTokenEvenFromABrowser() {
        String token = Users.admin(base).createToken(null);

        Api.Reply reply = Api.client(base).post("api/create_token", null, "Origin", ownOrigin(),
                "Authorization", "Token " + token);

        assertEquals(200, reply.status(), reply.body());
    }

    @Test
    void aBrowserLogoutNeedsTheCsrfTokenSoAnotherPageCannotLogTheUserOut() {
        String bob = Users.create(base, "bob");
        Api browser = Api.browser(base).login(bob, Users.PASSWORD);
        String csrf = browser.get("api/session").json().getString("csrf_token");

        assertFailure(browser.post("logout", null, "Sec-Fetch-Site", "same-origin"), 403, CSRF_REFUSED);
        assertJson(browser.get("api/whoami"), 200, "{\"user\":\"" + bob + "\",\"success\":true}");

        assertEquals(303, browser.post("logout", null, "Sec-Fetch-Site", "same-origin", "X-CSRF-Token", csrf).status());
        assertNotLoggedIn(browser.get("api/whoami"));
    }

    @Test
    void theAccountPageSendsVisitorsWithoutALoginToTheLoginPage() {
        Api.Reply reply = Api.browser(base).get("");

        assertEquals(303, reply.status());
        assertTrue(reply.header("Location").orElse("").endsWith("/login"), reply.header("Location").orElse(null));
    }

    @Test
    void theAccountPageIsHtmlThatIsNeverCachedAndAllowsNoInlineOrForeignContent() {
        Api.Reply reply = Api.browser(base).login(Users.create(base, "bob"), Users.PASSWORD).get("");

        assertEquals(200, reply.status());
        assertEquals("text/html;charset=UTF-8", reply.header("Content-Type").orElse(null));
        assertEquals("no-store", reply.header("Cache-Control").orElse(null));
        assertEquals("default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                reply.header("Content-Security-Policy").orElse(null));
        assertTrue(reply.body().contains("<script src=\"static/account.js\" defer></script>"));
        assertTrue(!reply.body().contains("<script>") && !reply.body().contains("style="), "nothing inline");
    }

    @Test
    void theAdminPageIsForAdminsOnly() {
        Api bob = Api.browser(base).login(Users.create(base, "bob"), Users.PASSWORD);
        Api.Reply refused = bob.get("admin");
        assertEquals(403, refused.status());
        assertEquals("text/html;charset=UTF-8", refused.header("Content-Type").orElse(null));
        assertTrue(refused.body().contains("Admins only"), refused.body());

        Api.Reply admin = Users.admin(base).get("admin");
        assertEquals(200, admin.status());
        assertTrue(admin.body().contains("<script src=\"static/admin.js\" defer></script>"));
        assertEquals(303, Api.browser(base).get("admin").status(), "no login: to the login page");
    }

    @Test
    void thePagesScriptsAreServedButThePageFilesThemselvesAreNot() {
        Api.Reply script = Api.client(base).get("static/account.js");
        assertEquals(200, script.status());
        assertTrue(script.header("Content-Type").orElse("").contains("javascript"), script.header("Content-Type").orElse(null));

        assertEquals(404, Api.client(base).get("WEB-INF/pages/account.html").status());
    }
}
