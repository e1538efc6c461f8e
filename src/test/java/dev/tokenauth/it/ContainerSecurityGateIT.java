package dev.tokenauth.it;

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
 * Our WAR with the container's token authentication on as well as the filter: both are adapters over one token gate,
 * so a token is checked once per request, and every outcome is counted once whichever of them decided it (the one
 * allowance of a guessing address is {@link ContainerSecurityThrottlingIT}'s).
 */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerSecurityGateIT {

    private static final String PASSED = "tokenauth_authentications_total{outcome=\"token\"}";
    private static final String INVALID = "tokenauth_authentications_total{outcome=\"invalid_token\"}";
    private static final String UNKNOWN = "tokenauth_token_refusals_total{reason=\"unknown\"}";

    @Deployment(testable = false)
    static WebArchive warWithContainerSecurity() {
        return Deployments.builtWarWith(Map.of("tokenauth.container.security", true));
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
    void aGoodTokenIsAuthenticatedAndCountedOnceThoughBothTheModuleAndTheFilterGuardTheApi() {
        String token = tokenOf("gate");
        String before = scrape();

        for (int i = 0; i < 3; i++) {
            assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status());
        }

        assertEquals(3, value(scrape(), PASSED) - value(before, PASSED), PASSED);
    }

    @Test
    @Order(2)
    void theModulesRefusalsAreCountedOnceAsTheFiltersAre() {
        String before = scrape();

        // Two paths: the API (the module, then the filter) and a page outside it (the module alone).
        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(TokenFormat.generate(new SecureRandom()))));
        assertInvalidToken(Api.client(base).get("account", Api.auth(TokenFormat.generate(new SecureRandom()))));

        String after = scrape();
        assertEquals(2, value(after, INVALID) - value(before, INVALID), INVALID);
        assertEquals(2, value(after, UNKNOWN) - value(before, UNKNOWN), UNKNOWN);
    }
}
