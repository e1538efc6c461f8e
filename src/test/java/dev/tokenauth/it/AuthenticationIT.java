package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
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

/** TokenAuthFilter over HTTP: who gets in, and the one answer for everyone who does not. */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthenticationIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private String alice;
    private Api aliceBrowser;
    private String token;

    @BeforeEach
    void aliceHasAToken() {
        alice = Users.create(base, "alice");
        aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);
        token = aliceBrowser.createToken(null);
    }

    private String whoami() {
        return "{\"user\":\"" + alice + "\",\"success\":true}";
    }

    @Test
    void aValidTokenMakesItsOwnerTheUserWhateverTheCaseOfTheScheme() {
        for (String scheme : List.of("Token", "token", "TOKEN", "tOkEn")) {
            assertJson(Api.client(base).get("api/whoami", "Authorization", scheme + " " + token), 200, whoami());
        }
    }

    @Test
    void everyUnusableAuthorizationHeaderGetsTheSameInvalidTokenAnswer() {
        String revoked = aliceBrowser.createToken(null);
        aliceBrowser.postJson("api/revoke_token", "{\"token\":\"" + revoked + "\"}");
        String lastChar = token.substring(token.length() - 1);
        String badChecksum = token.substring(0, token.length() - 1) + ("A".equals(lastChar) ? "B" : "A");
        String unknown = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        Api.browser(base).login(alice, Users.PASSWORD).postJson("api/revoke_token", "{\"token\":\"" + unknown + "\"}");

        List<String> headers = List.of(
                "",                              // empty
                "Token",                         // scheme only
                "Token ",                        // scheme and a space
                "Basic YWxpY2U6c2VjcmV0",        // another scheme
                "Bearer " + token,               // Bearer is off by default
                "Token " + token + " extra",     // extra parts
                "Token " + token + ",x",         // bad characters
                "Token tka_!!!",                 // bad characters
                "Token " + badChecksum,          // checksum does not match
                "Token tka_" + "0".repeat(49),   // well-formed length, made up
                "Token " + revoked,              // revoked
                "Token " + unknown);             // revoked before anyone used it
        for (String header : headers) {
            Api.Reply reply = Api.client(base).get("api/whoami", "Authorization", header);
            assertInvalidToken(reply);
        }
    }

    @Test
    void twoAuthorizationHeadersAreRefusedEvenIfOneIsValid() {
        assertInvalidToken(Api.client(base).get("api/whoami",
                "Authorization", "Token " + token, "Authorization", "Token " + token));
    }

    @Test
    void aBadTokenNeverFallsBackToTheSession() {
        Api.Reply reply = aliceBrowser.post("api/create_token", null, "Authorization", "Token tka_nonsense");

        assertInvalidToken(reply);
        assertEquals(1, aliceBrowser.get("api/tokens").json().getJsonArray("tokens").size(),
                "no token should have been created by the refused request");
    }

    @Test
    void noUserAtAllIsNotLoggedIn() {
        assertNotLoggedIn(Api.client(base).get("api/whoami"));
        assertNotLoggedIn(Api.client(base).post("api/revoke_token", "{\"token\":\"" + token + "\"}"));
        assertNotLoggedIn(Api.browser(base).get("api/tokens"));
    }

    @Test
    void aSessionRequestFromAnotherSiteIsRefusedAndChangesNothing() {
        assertFailure(aliceBrowser.post("api/create_token", null, "Sec-Fetch-Site", "cross-site"), 403,
                "Cross-site request refused.");
        assertFailure(aliceBrowser.post("api/create_token", null, "Sec-Fetch-Site", "same-site"), 403,
                "Cross-site request refused.");
        assertFailure(aliceBrowser.post("api/create_token", null, "Origin", "https://evil.example"), 403,
                "Cross-site request refused.");
        assertFailure(aliceBrowser.postJson("api/revoke_token", "{\"token\":\"" + token + "\"}",
                "Origin", "null"), 403, "Cross-site request refused.");

        assertEquals(1, aliceBrowser.get("api/tokens").json().getJsonArray("tokens").size(),
                "refused requests must not create or revoke tokens");
        assertJson(Api.client(base).get("api/whoami", Api.auth(token)), 200, whoami());
    }

    @Test
    void aBrowsersSessionGetOfCreateTokenThatSaysNothingOfWhereItComesFromIsRefusedAndCreatesNothing() {
        String oldBrowser = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)";
        String refused = "Cross-site request refused: create tokens with POST and the CSRF token.";

        assertFailure(aliceBrowser.get("api/create_token", "User-Agent", oldBrowser), 403, refused);
        assertFailure(aliceBrowser.get("api/create_token?label=x", "User-Agent",
                "Opera/9.80 (Windows NT 6.1) Presto/2.12.388 Version/12.16"), 403, refused);
        // Another site's link followed by a browser without Fetch Metadata: only its Referer tells.
        assertFailure(aliceBrowser.get("api/create_token", "User-Agent", oldBrowser, "Referer",
                "https://evil.example/page"), 403, "Cross-site request refused.");
        assertFailure(aliceBrowser.get("api/tokens", "User-Agent", oldBrowser, "Referer", "https://evil.example/"), 403,
                "Cross-site request refused.");

        assertEquals(1, aliceBrowser.get("api/tokens").json().getJsonArray("tokens").size(),
                "no token should have been created by the refused requests");
    }

    @Test
    void aSessionGetOfCreateTokenThatSaysWhereItComesFromOrIsNoBrowsersPasses() {
        String origin = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
        String oldBrowser = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)";

        // A typed address or a bookmark in a current browser.
        assertEquals(200, aliceBrowser.get("api/create_token", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) "
                + "Firefox/128.0", "Sec-Fetch-Site", "none").status());
        assertEquals(200, aliceBrowser.get("api/create_token", "User-Agent", oldBrowser, "Referer", origin + "/account")
                .status());
        // curl -b cookies .../api/create_token, as documented: no other site can make curl send a request.
        assertEquals(200, aliceBrowser.get("api/create_token", "User-Agent", "curl/8.5.0").status());
        assertEquals(200, aliceBrowser.get("api/create_token").status());
        assertEquals(200, Api.client(base).get("api/create_token", "User-Agent", oldBrowser, "Authorization",
                "Token " + token).status());
        assertEquals(6, aliceBrowser.get("api/tokens").json().getJsonArray("tokens").size());
    }

    @Test
    void aSessionRequestFromTheSameOriginWithItsCsrfTokenOrWithoutBrowserHeadersPasses() {
        String origin = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
        String csrf = aliceBrowser.get("api/session").json().getString("csrf_token");
        assertEquals(200, aliceBrowser.post("api/create_token", null, "Origin", origin, "X-CSRF-Token", csrf).status());
        assertEquals(200, aliceBrowser.post("api/create_token", null, "Sec-Fetch-Site", "same-origin",
                "X-CSRF-Token", csrf).status());
        assertEquals(200, aliceBrowser.get("api/whoami", "Sec-Fetch-Site", "none").status());
        assertEquals(200, aliceBrowser.post("api/create_token", null).status());
    }

    @Test
    void aTokenRequestIsNotSubjectToTheSameOriginCheck() {
        assertEquals(200, Api.client(base).post("api/create_token", null,
                "Authorization", "Token " + token, "Sec-Fetch-Site", "cross-site").status());
    }

    @Test
    void anUnknownApiPathIsUnauthorizedWithoutAUserAndNotFoundWithOne() {
        assertNotLoggedIn(Api.client(base).get("api/nothing-here"));
        Api.Reply reply = Api.client(base).get("api/nothing-here", Api.auth(token));
        assertFailure(reply, 404, "No such API endpoint.");
        assertEquals("no-store", reply.header("Cache-Control").orElse(null));
    }

    @Test
    void everyApiAnswerIsMarkedNotToBeStored() {
        assertEquals("no-store", Api.client(base).get("api/whoami", Api.auth(token)).header("Cache-Control").orElse(null));
        assertEquals("no-store", aliceBrowser.get("api/tokens").header("Cache-Control").orElse(null));
        assertEquals("no-store", Api.client(base).get("api/whoami").header("Cache-Control").orElse(null));
    }
}
