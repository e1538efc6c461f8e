package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The browser pages, in a real headless Chromium: each test does what a person would, then checks the result
 * both on the page and over HTTP, and leaves a screenshot in {@code target/screenshots/}.
 */
@Tag("container")
@Tag("browser")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserIT {

    private static final Pattern TOKEN = Pattern.compile("tka_[0-9A-Za-z]{49}");
    private static Chromium chromium;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private String screenshotName;

    @BeforeEach
    void freshBrowserSession(TestInfo test) {
        if (chromium == null) {
            chromium = new Chromium();
        }
        screenshotName = test.getTestMethod().orElseThrow().getName();
        chromium.forgetSession(url("login"));
    }

    @AfterEach
    void screenshot() {
        chromium.screenshot(screenshotName);
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }

    @Test
    void aUserLogsInCreatesATokenThatWorksOverHttpAndRevokesItInThePage() {
        String alice = Users.create(base, "alice");
        logIn(alice, Users.PASSWORD);
        chromium.waitForText(By.id("token-owner"), alice);

        chromium.visible(By.id("label")).sendKeys("laptop");
        new Select(chromium.visible(By.id("expires-in"))).selectByVisibleText("In 7 days");
        Instant asked = Instant.now();
        click(By.id("create-token"));
        String token = chromium.visible(By.id("new-token-value")).getDomProperty("value");
        assertTrue(TOKEN.matcher(token).matches(), "a token in the page: " + token);
        assertTrue(text(By.cssSelector("#new-token .warning")).contains("shown only this once"));
        click(By.id("copy-token"));
        chromium.waitForText(By.id("copied"), "Copied");

        // The very token the page showed opens the API for its owner.
        assertJson(Api.client(base).get("api/whoami", Api.auth(token)), 200,
                "{\"user\":\"" + alice + "\",\"success\":true}");

        WebElement row = chromium.visible(By.cssSelector("#tokens tbody tr"));
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertEquals(token.substring(0, 10) + "…", cells.get(0), "the display prefix, never the secret");
        assertEquals("laptop", cells.get(1));
        assertEquals("browser login", cells.get(3));
        Instant expires = Instant.parse(row.findElement(By.cssSelector("td:nth-child(5) time")).getDomAttribute("datetime"));
        assertTrue(Duration.between(asked.plus(Duration.ofDays(7)), expires).abs().toSeconds() < 60,
                "expires in 7 days: " + expires);
        assertEquals("not yet", cells.get(5), "last use, before any use was written");
        assertFalse(chromium.driver().getPageSource().contains(token.substring(10)),
                "the secret is nowhere in the page but in the one-time field's value");

        chromium.screenshot("aUserLogsInCreatesAToken-new-token-shown-once");
        click(By.id("hide-token"));
        chromium.waitUntilGone(By.id("new-token"));
        assertEquals("", chromium.driver().findElement(By.id("new-token-value")).getDomProperty("value"),
                "the plaintext is forgotten once the user has copied it");

        click(By.cssSelector("#tokens tbody tr button.revoke"));
        chromium.accept();
        chromium.waitForText(By.id("message"), "revoked");
        chromium.visible(By.id("no-tokens"));
        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
    }

    @Test
    void aWrongPasswordShowsTheErrorOnTheLoginPage() {
        String alice = Users.create(base, "alice");
        logIn(alice, "not the password");

        assertEquals("Invalid username or password.", text(By.cssSelector("p.error")));
        assertTrue(chromium.driver().getCurrentUrl().endsWith("/login"), chromium.driver().getCurrentUrl());
        chromium.screenshot("aWrongPassword-error-shown");
        chromium.driver().get(url(""));
        chromium.waitForPath("/login");
    }

    @Test
    void theAccountPageSendsAnyoneNotLoggedInToTheLoginPage() {
        chromium.driver().get(url(""));
        chromium.waitForPath("/login");
        chromium.visible(By.id("username"));
    }

    @Test
    void aUserWhoIsNotAnAdminCannotOpenTheAdminPage() {
        String bob = Users.create(base, "bob");
        logIn(bob, Users.PASSWORD);
        chromium.waitForText(By.id("token-owner"), bob);
        assertFalse(chromium.driver().findElement(By.id("admin-link")).isDisplayed(), "no Admin link for a user");

        chromium.driver().get(url("admin"));
        assertEquals("Admins only", chromium.visible(By.id("forbidden")).getText());
        assertTrue(chromium.driver().findElements(By.id("users")).isEmpty(), "no user list");
    }

    @Test
    void anAdminActsAsBobCreatesCopiesAndRevokesATokenForBobAndStopsActing() {
        String bob = Users.create(base, "bob");
        logIn(Deployments.ADMIN, Deployments.adminPassword());
        chromium.waitForText(By.id("token-owner"), Deployments.ADMIN);
        click(By.id("admin-link"));

        click(By.cssSelector("#users tr[data-username='" + bob + "'] button.act-as"));
        chromium.waitForText(By.id("token-owner"), bob);
        assertEquals(bob, text(By.id("acting-for")));
        assertEquals(Deployments.ADMIN, text(By.id("acting-admin")));
        chromium.visible(By.id("label")).sendKeys("made by the admin");
        click(By.id("create-token"));
        String token = chromium.visible(By.id("new-token-value")).getDomProperty("value");
        chromium.screenshot("anAdminActsAsBob-banner-and-token");

        click(By.id("copy-token"));
        chromium.waitForText(By.id("copied"), "Copied");
        assertJson(Api.client(base).get("api/whoami", Api.auth(token)), 200,
                "{\"user\":\"" + bob + "\",\"success\":true}");
        click(By.id("hide-token"));
        click(By.cssSelector("#tokens tbody tr button.revoke"));
        chromium.accept();
        chromium.waitForText(By.id("message"), "revoked");
        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));

        click(By.id("stop-acting"));
        chromium.waitForPath("/admin");
        chromium.waitUntilGone(By.id("acting-banner"));
        chromium.driver().get(url(""));
        chromium.waitForText(By.id("token-owner"), Deployments.ADMIN);

        // The trail says who acted for whom.
        List<JsonObject> events = Users.admin(base)
                .get("api/audit?user=" + bob).json().getJsonArray("events").getValuesAs(JsonObject.class);
        List<String> byAdmin = events.stream()
                .filter(e -> Deployments.ADMIN.equals(e.getString("acting_user", null)))
                .map(e -> e.getString("event"))
                .toList();
        assertEquals(List.of("ACT_AS_STOPPED", "TOKEN_REVOKED", "TOKEN_CREATED", "ACT_AS_STARTED"), byAdmin.subList(0, 4),
                events.toString());
    }

    @Test
    void anAdminAddsAUserResetsTheirPasswordAndDisablesThemWhichRevokesTheirTokens() {
        String carol = "carol-" + Long.toHexString(System.nanoTime());
        logIn(Deployments.ADMIN, Deployments.adminPassword());
        chromium.waitForText(By.id("token-owner"), Deployments.ADMIN);
        chromium.driver().get(url("admin"));

        chromium.visible(By.id("new-username")).sendKeys(carol);
        chromium.driver().findElement(By.id("new-password")).sendKeys("first password");
        click(By.id("add-user"));
        chromium.waitForText(By.id("message"), "User " + carol + " added.");
        String carolsToken = Api.browser(base).login(carol, "first password").createToken(null);

        click(By.cssSelector("#users tr[data-username='" + carol + "'] button.reset"));
        chromium.visible(By.id("reset-password")).sendKeys("second password");
        click(By.id("reset-submit"));
        chromium.waitForText(By.id("message"), "Password of " + carol + " changed.");
        assertEquals(401, Api.browser(base).postForm("login", "username", carol, "password", "first password").status());
        Api carolsBrowser = Api.browser(base).login(carol, "second password");

        click(By.cssSelector("#users tr[data-username='" + carol + "'] button.disable"));
        chromium.accept();
        chromium.waitForText(By.id("message"), carol + " disabled; 1 token(s) revoked.");
        chromium.waitForText(By.cssSelector("#users tr[data-username='" + carol + "'] .tag.disabled"), "disabled");

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(carolsToken)));
        assertEquals(401, carolsBrowser.get("api/whoami").status(), "the disabled user's session ended");
        assertEquals(401, Api.browser(base).postForm("login", "username", carol, "password", "second password").status());
    }

    @Test
    void aUserCreatesAReadOnlyTokenByUncheckingWrite() {
        String alice = Users.create(base, "alice");
        logIn(alice, Users.PASSWORD);
        chromium.waitForText(By.id("token-owner"), alice);

        click(By.cssSelector("#scopes input[value=write]"));
        click(By.id("create-token"));
        String token = chromium.visible(By.id("new-token-value")).getDomProperty("value");
        assertTrue(TOKEN.matcher(token).matches(), "a token in the page: " + token);

        WebElement row = chromium.visible(By.cssSelector("#tokens tbody tr"));
        assertEquals("read", row.findElement(By.cssSelector("td.scopes")).getText());
        assertTrue(chromium.driver().findElement(By.cssSelector("#scopes input[value=write]")).isSelected(),
                "the form is back to every scope for the next token");
        Api curl = Api.client(base);
        assertEquals(200, curl.get("api/whoami", Api.auth(token)).status());
        ApiAssertions.assertFailure(curl.post("api/create_token", null, Api.auth(token)), 403,
                "This token lacks the scope 'write'.");

        click(By.id("hide-token"));
        click(By.id("create-token"));
        chromium.waitForText(By.cssSelector("#tokens tbody tr:nth-child(2) td.scopes"), "read, write");
    }

    @Test
    void theAccountPageShowsANoticeWithTheDateForATokenThatExpiresWithinSevenDays() {
        String alice = Users.create(base, "alice");
        Api aliceBrowser = Api.browser(base).login(alice, Users.PASSWORD);
        jakarta.json.JsonObject made = aliceBrowser.postJson("api/create_token",
                "{\"expires_in\": 259200, \"label\": \"ci\"}").json();
        String soon = made.getString("token");
        aliceBrowser.postJson("api/create_token", "{\"expires_in\": 2592000, \"label\": \"later\"}");

        logIn(alice, Users.PASSWORD);
        chromium.waitForText(By.id("token-owner"), alice);

        // The notices arrive after the page: wait for the one expected before counting them all.
        WebElement notice = chromium.visible(By.cssSelector("#notices li.expiring_soon"));
        List<WebElement> notices = chromium.driver().findElements(By.cssSelector("#notices li"));
        assertEquals(1, notices.size(), "only the token that expires within 7 days");
        String date = (String) ((org.openqa.selenium.JavascriptExecutor) chromium.driver()).executeScript(
                "return new Date(arguments[0]).toLocaleDateString();", made.getString("expires_at"));
        assertEquals("Token " + soon.substring(0, 10) + "… (ci) expires on " + date + " (in 2 days): rotate it"
                + " before then.", notice.getText());
    }

    @Test
    void anAdminFiltersEveryUsersTokensAndRevokesOneWithAReasonThatItsOwnerSees() {
        String dave = Users.create(base, "dave");
        Api davesBrowser = Api.browser(base).login(dave, Users.PASSWORD);
        String kept = davesBrowser.createToken(null);
        String leaked = davesBrowser.postJson("api/create_token", "{\"label\": \"leaked\", \"scopes\": [\"read\"]}")
                .json().getString("token");
        logIn(Deployments.ADMIN, Deployments.adminPassword());
        chromium.waitForText(By.id("token-owner"), Deployments.ADMIN);
        chromium.driver().get(url("admin"));

        chromium.visible(By.id("inv-owner")).sendKeys(dave);
        chromium.driver().findElement(By.id("inv-scope")).sendKeys("write");
        click(By.id("inv-apply"));
        chromium.waitForText(By.cssSelector("#inventory tbody tr td.prefix"), kept.substring(0, 10));
        assertEquals(1, chromium.driver().findElements(By.cssSelector("#inventory tbody tr")).size(),
                "only dave's token with the scope write");
        chromium.driver().findElement(By.id("inv-scope")).clear();
        click(By.id("inv-apply"));
        chromium.waitForText(By.cssSelector("#inventory tbody tr:nth-child(2) td.prefix"), leaked.substring(0, 10));
        assertFalse(chromium.driver().getPageSource().contains(leaked.substring(10)), "no secret in the page");

        click(By.cssSelector("#inventory tbody tr:nth-child(2) button.revoke"));
        chromium.answerPrompt("pasted into a chat");
        chromium.waitForText(By.id("message"), "revoked");
        chromium.waitUntilGone(By.cssSelector("#inventory tbody tr:nth-child(2)"));

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(leaked)));
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(kept)).status());
        click(By.id("logout"));
        chromium.waitForPath("/login");
        logIn(dave, Users.PASSWORD);
        chromium.waitForText(By.id("token-owner"), dave);
        chromium.waitForText(By.cssSelector("#revoked tbody tr td.reason"), "pasted into a chat");
        assertEquals("admin " + Deployments.ADMIN, text(By.cssSelector("#revoked tbody tr td.revoked-by")));
        assertEquals(leaked.substring(0, 10) + "…", text(By.cssSelector("#revoked tbody tr td.prefix")));
    }

    @Test
    void logOutEndsTheSession() {
        logIn(Deployments.ADMIN, Deployments.adminPassword());
        chromium.waitForText(By.id("token-owner"), Deployments.ADMIN);
        click(By.id("logout"));
        chromium.waitForPath("/login");
        chromium.driver().get(url(""));
        chromium.waitForPath("/login");
    }

    private void logIn(String username, String password) {
        chromium.driver().get(url("login"));
        chromium.visible(By.id("username")).sendKeys(username);
        chromium.driver().findElement(By.id("password")).sendKeys(password);
        click(By.id("login-button"));
    }

    private void click(By by) {
        chromium.visible(by).click();
    }

    private String text(By by) {
        return chromium.visible(by).getText();
    }

    private String url(String path) {
        return base.toString().replaceAll("/?$", "/") + path;
    }
}
