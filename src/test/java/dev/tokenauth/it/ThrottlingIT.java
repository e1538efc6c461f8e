package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * last. A browser that has logged in presents its device cookie, and its attempts count against that device alone:
 * the owner gets in while a guesser without the cookie (or with a forged one) stays locked out.
 */
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThrottlingIT {

    private static final int ACCOUNT_FAILURES = 3;
    private static final int TOKEN_FAILURES = 5;
    private static final int DEVICE_FAILURES = 2;
    private static final String DEVICE_COOKIE = "tokenauth_device";

    @Deployment(testable = false)
    static WebArchive warWithSmallAllowances() {
        return Deployments.builtWarWith(Map.of("tokenauth.throttle.login.account", ACCOUNT_FAILURES,
                "tokenauth.throttle.login.address", 1000, "tokenauth.throttle.token.address", TOKEN_FAILURES,
                "tokenauth.throttle.login.device", DEVICE_FAILURES));
    }

    @ArquillianResource
    URL base;

    private Api.Reply login(String username, String password) {
        return Api.client(base).postForm("login", "username", username, "password", password);
    }

    /** A login by a client without a cookie jar that sends {@code deviceCookie} as its device cookie. */
    private Api.Reply loginPresenting(String deviceCookie, String username, String password) {
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return Api.client(base).send("POST", "login", BodyPublishers.ofString(form),
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", DEVICE_COOKIE + "=" + deviceCookie);
    }

    /**
     * The value of the one device cookie a successful login as {@code username} gave, its attributes asserted
     * exactly: for this application's path, 30 days, HttpOnly, SameSite=Strict, and not Secure over plain HTTP.
     */
    private String deviceCookieOf(Api.Reply login, String username) {
        assertEquals(303, login.status(), login.body());
        List<String> set = login.allHeaders("Set-Cookie").stream().filter(c -> c.startsWith(DEVICE_COOKIE + "="))
                .toList();
        assertEquals(1, set.size(), set.toString());
        String path = base.getPath().endsWith("/") ? base.getPath().substring(0, base.getPath().length() - 1)
                : base.getPath();
        Matcher cookie = Pattern.compile(DEVICE_COOKIE + "=(" + Pattern.quote(username)
                + "\\|\\d+\\|[A-Za-z0-9_-]{22}\\|[A-Za-z0-9_-]{43}); Path=" + Pattern.quote(path.isEmpty() ? "/" : path)
                + "; Max-Age=2592000; HttpOnly; SameSite=Strict").matcher(set.get(0));
        assertTrue(cookie.matches(), set.get(0));
        return cookie.group(1);
    }

    private static void assertThrottled(Api.Reply reply, String msgStart) {
        assertEquals(429, reply.status(), reply.body());
        long retryAfter = Long.parseLong(reply.header("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        assertFailure(reply, 429, msgStart + retryAfter + " seconds.");
    }

    /**
     * The audit events of {@code type} that {@code which} picks, waiting for the batch of queued events to be stored
     * until there is one: other tests' lockouts of the same type may be stored before this test's.
     */
    private List<JsonObject> events(String type, Predicate<JsonObject> which) throws InterruptedException {
        Api admin = Users.admin(base);
        List<JsonObject> found = List.of();
        for (int i = 0; i < 60 && found.isEmpty(); i++) {
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

        List<JsonObject> lockouts = events("LOGIN_THROTTLED",
                e -> e.getString("detail").startsWith("account " + alice + ":"));
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
    @Order(2)
    void theOwnersBrowserWithItsDeviceCookieLogsInWhileAGuesserHasLockedTheAccountAndTheGuesserStaysLocked() {
        String erin = Users.create(base, "erin");
        Api owner = Api.browser(base);
        String first = deviceCookieOf(owner.postForm("login", "username", erin, "password", Users.PASSWORD), erin);
        for (int i = 0; i < ACCOUNT_FAILURES; i++) {
            assertFailure(login(erin, "wrong password"), 401, "Invalid username or password.");
        }
        assertThrottled(login(erin, Users.PASSWORD), "Too many failed logins; try again in ");

        Api.Reply again = owner.postForm("login", "username", erin, "password", Users.PASSWORD);

        assertNotEquals(first, deviceCookieOf(again, erin), "every login gives a new device cookie");
        assertJson(owner.get("api/whoami"), 200, "{\"user\":\"" + erin + "\",\"success\":true}");
        assertFailure(owner.postForm("login", "username", erin, "password", "wrong password"), 401,
                "Invalid username or password.");
        assertThrottled(login(erin, Users.PASSWORD), "Too many failed logins; try again in ");
        assertThrottled(login(erin, "wrong password"), "Too many failed logins; try again in ");
    }

    @Test
    @Order(2)
    void aTamperedDeviceCookieOrAnotherAccountsCountsAsNone() {
        String frank = Users.create(base, "frank");
        String grace = Users.create(base, "grace");
        String franks = deviceCookieOf(login(frank, Users.PASSWORD), frank);
        String graces = deviceCookieOf(login(grace, Users.PASSWORD), grace);
        for (int i = 0; i < ACCOUNT_FAILURES; i++) {
            assertFailure(login(frank, "wrong password"), 401, "Invalid username or password.");
        }
        String[] parts = franks.split("\\|");
        String later = parts[0] + "|" + (Long.parseLong(parts[1]) + 86_400) + "|" + parts[2] + "|" + parts[3];
        String otherMac = franks.substring(0, franks.lastIndexOf('|') + 1)
                + (parts[3].charAt(0) == 'A' ? 'B' : 'A') + parts[3].substring(1);
        String renamed = frank + graces.substring(grace.length());

        for (String presented : new String[] {later, otherMac, renamed, graces}) {
            assertThrottled(loginPresenting(presented, frank, Users.PASSWORD), "Too many failed logins; try again in ");
        }
        assertEquals(303, loginPresenting(franks, frank, Users.PASSWORD).status(), "frank's own cookie, untouched");
    }

    @Test
    @Order(2)
    void aDeviceIsLockedAfterItsOwnFailedLoginsWhileItsAccountIsNotAndTheLockoutIsAuditedWithoutTheCookie()
            throws Exception {
        String hank = Users.create(base, "hank");
        Api phone = Api.browser(base);
        String cookie = deviceCookieOf(phone.postForm("login", "username", hank, "password", Users.PASSWORD), hank);
        for (int i = 0; i < DEVICE_FAILURES; i++) {
            assertFailure(phone.postForm("login", "username", hank, "password", "wrong password"), 401,
                    "Invalid username or password.");
        }

        assertThrottled(phone.postForm("login", "username", hank, "password", Users.PASSWORD),
                "Too many failed logins; try again in ");
        assertThrottled(loginPresenting(cookie, hank, Users.PASSWORD), "Too many failed logins; try again in ");
        assertEquals(303, login(hank, Users.PASSWORD).status(), "the device's failures did not count against hank");

        List<JsonObject> lockouts = events("LOGIN_THROTTLED",
                e -> e.getString("detail").contains(" of account " + hank + ":"));
        assertEquals(1, lockouts.size(), lockouts.toString());
        String detail = lockouts.get(0).getString("detail");
        assertTrue(detail.matches("device [0-9a-f]{8} of account " + Pattern.quote(hank)
                + ": 2 failed logins within 15 minutes"), detail);
        assertFalse(detail.contains(cookie.split("\\|")[2]), "never the nonce: " + detail);
        assertEquals("127.0.0.1", lockouts.get(0).getString("client_address"));
    }

    @Test
    @Order(3)
    void anAddressIsThrottledAfterItsFailedTokensSaveForTokensKnownAsGoodAndTheLockoutIsAuditedOnce() throws Exception {
        String dave = Users.create(base, "dave");
        Api daveBrowser = Api.browser(base).login(dave, Users.PASSWORD);
        String token = daveBrowser.createToken(null);
        String inUse = daveBrowser.createToken(null);
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(inUse)).status());
        String unknown = token.substring(0, 4) + (token.charAt(4) == 'x' ? 'y' : 'x') + token.substring(5);
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

        // Other test classes' WARs share the database, and their own allowances: this one's lockout names its 5 (on
        // PostgreSQL counted by every node on the database, which the detail says).
        List<JsonObject> lockouts = events("TOKEN_THROTTLED",
                e -> e.getString("detail").equals("5 failed token authentications within 3 minutes")
                        || e.getString("detail").equals("5 failed token authentications within 3 minutes on all nodes"));
        assertEquals(1, lockouts.size(), lockouts.toString());
        assertEquals("127.0.0.1", lockouts.get(0).getString("client_address"));
    }
}
