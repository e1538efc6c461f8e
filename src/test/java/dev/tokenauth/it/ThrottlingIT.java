package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.JsonObject;

/**
 * Guessing is throttled, with small allowances set in this WAR's own descriptor (on the Tomcats they override the
 * relaxed ones of the test servers' context.xml; on Payara the test servers' system properties would win, so this
 * runs on the Tomcats). Every request comes from 127.0.0.1, so the token test, which throttles that address, runs
 * last.
 */
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThrottlingIT {

    private static final int ACCOUNT_FAILURES = 3;
    private static final int TOKEN_FAILURES = 5;

    @Deployment(testable = false)
    static WebArchive warWithSmallAllowances() {
        return Deployments.builtWarWith(Map.of("tokenauth.throttle.login.account", ACCOUNT_FAILURES,
                "tokenauth.throttle.login.address", 1000, "tokenauth.throttle.token.address", TOKEN_FAILURES));
    }

    @ArquillianResource
    URL base;

    private Api.Reply login(String username, String password) {
        return Api.client(base).postForm("login", "username", username, "password", password);
    }

    private static void assertThrottled(Api.Reply reply, String msgStart) {
        assertEquals(429, reply.status(), reply.body());
        long retryAfter = Long.parseLong(reply.header("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        assertFailure(reply, 429, msgStart + retryAfter + " seconds.");
    }

    /** The audit events of {@code type}, waiting for the batch of queued events to be stored. */
    private List<JsonObject> events(String type, int atLeast) throws InterruptedException {
        return events(type, e -> true, atLeast);
    }

    /** The audit events of {@code type} that {@code which} accepts, waiting for at least {@code atLeast}. */
    private List<JsonObject> events(String type, java.util.function.Predicate<JsonObject> which, int atLeast)
            throws InterruptedException {
        Api admin = Users.admin(base);
        List<JsonObject> found = List.of();
        for (int i = 0; i < 60 && found.size() < atLeast; i++) {
            Thread.sleep(250);
            found = admin.get("api/audit?limit=500").json().getJsonArray("events").getValuesAs(JsonObject.class)
                    .stream().filter(e -> e.getString("event").equals(type)).filter(which).toList();
        }
        return found;
    }

    @Test
    @Order(1)
    void aSuccessfulLoginResetsTheAccountsCount() {
        String carol = Users.create(base, "carol");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < ACCOUNT_FAILURES - 1; i++) {
                assertFailure(login(carol, "wrong password"), 401, "Invalid username or password.");
            }
            assertEquals(303, login(carol, Users.PASSWORD).status(), "round " + round);
        }
    }

    @Test
    @Order(2)
    void anAccountIsThrottledAfterItsFailedLoginsEvenForTheRightPasswordButItsTokensKeepWorking() throws Exception {
        String alice = Users.create(base, "alice");
        String token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        for (int i = 0; i < ACCOUNT_FAILURES; i++) {
            assertFailure(login(alice, "wrong password"), 401, "Invalid username or password.");
        }

        assertThrottled(login(alice, Users.PASSWORD), "Too many failed logins; try again in ");
        assertThrottled(login(alice, "wrong password"), "Too many failed logins; try again in ");
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status(),
                "guessing alice's password does not lock her out of the API");
        String bob = Users.create(base, "bob");
        assertEquals(303, login(bob, Users.PASSWORD).status(), "other accounts log in from the same address");

        List<JsonObject> lockouts = events("LOGIN_THROTTLED", 1).stream()
                .filter(e -> e.getString("detail").startsWith("account " + alice + ":")).toList();
        assertEquals(1, lockouts.size(), "one event for the lockout, none per attempt: " + lockouts);
        assertEquals("account " + alice + ": 3 failed logins within 15 minutes", lockouts.get(0).getString("detail"));
    }

    @Test
    @Order(2)
    void aNameWithSurroundingSpacesIsTheSameAccountWithTheSameAllowance() {
        String carol = Users.create(base, "carol");
        for (int i = 0; i < ACCOUNT_FAILURES; i++) {
            assertFailure(login(carol, "wrong password"), 401, "Invalid username or password.");
        }

        assertThrottled(login(carol + " ", Users.PASSWORD), "Too many failed logins; try again in ");
        assertThrottled(login(" " + carol + "  ", Users.PASSWORD), "Too many failed logins; try again in ");
        assertThrottled(login(carol, Users.PASSWORD), "Too many failed logins; try again in ");
    }

    @Test
    @Order(2)
    void aNameWithAControlCharacterIsRefusedBeforeAnythingIsCounted() {
        String dave = Users.create(base, "dave");
        for (int i = 0; i < ACCOUNT_FAILURES + 2; i++) {
            assertFailure(login(dave + "\n", "wrong password"), 400, "Username must not contain control characters.");
            assertFailure(login(dave + "\u0000", "wrong password"), 400, "Username must not contain control characters.");
        }

        assertEquals(303, login(dave, Users.PASSWORD).status(), "none of those counted against dave");
    }

    @Test
    @Order(3)
    void anAddressIsThrottledAfterItsFailedTokensSaveForTokensKnownAsGoodAndTheLockoutIsAuditedOnce() throws Exception {
        String dave = Users.create(base, "dave");
        Api daveBrowser = Api.browser(base).login(dave, Users.PASSWORD);
        String token = daveBrowser.createToken(null);
        String inUse = daveBrowser.createToken(null);
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(inUse)).status());
        String unknown = token.substring(0, 4) + "x" + token.substring(5);
        for (int i = 0; i < TOKEN_FAILURES; i++) {
            assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(i % 2 == 0 ? unknown : "not-a-token")));
        }

        for (String presented : new String[] {token, unknown}) {
            Api.Reply reply = Api.client(base).get("api/whoami", Api.auth(presented));
            assertThrottled(reply, "Too many failed token attempts from your address; try again in ");
        }
        assertEquals(200, daveBrowser.get("api/whoami").status(), "a login session is no token request");
        Api.Reply known = Api.client(base).get("api/whoami", Api.auth(inUse));
        assertEquals(200, known.status(), "a token that authenticated lately is still checked, and works: "
                + known.body());

        // Other test classes' WARs share the database, and their own allowances: this one's lockout names its 5.
        List<JsonObject> lockouts = events("TOKEN_THROTTLED",
                e -> e.getString("detail").equals("5 failed token authentications within 3 minutes"), 1);
        assertEquals(1, lockouts.size(), lockouts.toString());
        assertEquals("127.0.0.1", lockouts.get(0).getString("client_address"));
    }
}
