package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.security.SecureRandom;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tokenauth.token.TokenFormat;

/**
 * Our WAR with the container's token authentication on as well as the filter, and a small allowance of failed tokens
 * set in its own descriptor (so, as {@link ThrottlingIT}, it runs on the Tomcats: Payara's test servers set a relaxed
 * one as a system property, which wins). The module and the filter share one gate, so a guessing address has one
 * allowance across every path, and a token known as good still works while the address is throttled.
 */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerSecurityThrottlingIT {

    private static final String PASSED = "tokenauth_authentications_total{outcome=\"token\"}";
    private static final String INVALID = "tokenauth_authentications_total{outcome=\"invalid_token\"}";
    private static final String UNKNOWN = "tokenauth_token_refusals_total{reason=\"unknown\"}";

    private static final int TOKEN_FAILURES = 4;
    private static final String THROTTLED = "tokenauth_authentications_total{outcome=\"throttled\"}";

    @Deployment(testable = false)
    static WebArchive warWithContainerSecurityAndASmallAllowance() {
        return Deployments.builtWarWith(Map.of("tokenauth.container.security", true,
                "tokenauth.throttle.token.address", TOKEN_FAILURES));
    }

    @ArquillianResource
    URL base;

    private String scrape() {
        return Users.admin(base).get("metrics").body();
    }

    private static double value(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .orElse(0.0);
    }

    private String tokenOf(String prefix) {
        return Api.browser(base).login(Users.create(base, prefix), Users.PASSWORD).createToken(null);
    }

    @Test
    @Order(1)
    void aGuessingAddressHasOneAllowanceAcrossEveryPathCountedOnceEachAndATokenKnownAsGoodStillWorks() {
        String used = tokenOf("gate-used");
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(used)).status());
        String neverUsed = tokenOf("gate-new");
        String before = scrape();

        // Two paths: the API (the module, then the filter) and a page outside it (the module alone).
        for (int i = 0; i < TOKEN_FAILURES; i++) {
            assertInvalidToken(Api.client(base).get(i % 2 == 0 ? "account" : "api/whoami",
                    Api.auth(TokenFormat.generate(new SecureRandom()))));
        }
        for (String path : new String[] {"api/whoami", "account"}) {
            Api.Reply guess = Api.client(base).get(path, Api.auth(TokenFormat.generate(new SecureRandom())));
            assertFailure(guess, 429, "Too many failed token attempts from your address; try again in "
                    + guess.header("Retry-After").orElseThrow() + " seconds.");
            assertEquals(429, Api.client(base).get(path, Api.auth(neverUsed)).status(),
                    "a token that never authenticated is not told apart from a guess");
        }
        Api.Reply known = Api.client(base).get("api/whoami", Api.auth(used));
        assertEquals(200, known.status(), known.body());

        String after = scrape();
        assertEquals(TOKEN_FAILURES, value(after, INVALID) - value(before, INVALID), INVALID);
        assertEquals(TOKEN_FAILURES, value(after, UNKNOWN) - value(before, UNKNOWN), UNKNOWN);
        assertEquals(4, value(after, THROTTLED) - value(before, THROTTLED), THROTTLED);
        assertEquals(1, value(after, PASSED) - value(before, PASSED), PASSED);
    }
}
