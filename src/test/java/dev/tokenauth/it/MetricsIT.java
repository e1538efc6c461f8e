package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.security.SecureRandom;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tokenauth.token.TokenFormat;

/**
 * {@code GET /metrics} in the real server, with the default {@code tokenauth.metrics=admin} and no scrape secret:
 * admins read Prometheus text, everyone else gets the app's JSON refusals. The server is shared with other test
 * classes, so counters are compared between two scrapes, never with absolute values.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String UNKNOWN_REFUSALS = "tokenauth_token_refusals_total{reason=\"unknown\"}";
    private static final String INVALID_TOKENS = "tokenauth_authentications_total{outcome=\"invalid_token\"}";

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void withoutCredentialsTheMetricsAreRefusedAsNotLoggedIn() {
        assertNotLoggedIn(Api.client(base).get("metrics"));
    }

    @Test
    void anAdminsSessionReadsThePrometheusTextWithTheApplicationsMeters() {
        Api.Reply reply = Users.admin(base).get("metrics");

        assertEquals(200, reply.status(), reply::body);
        assertEquals(PROMETHEUS_TEXT, reply.header("Content-Type").map(MetricsIT::normalised).orElse(null));
        assertEquals("no-store", reply.header("Cache-Control").orElse(null));
        for (String meter : new String[] {"tokenauth_authentications_total", "tokenauth_token_refusals_total",
            "tokenauth_throttled_requests_total", "tokenauth_throttle_lockouts_total",
            "tokenauth_token_cache_gets_total", "tokenauth_token_cache_size", "tokenauth_token_lookup_seconds_bucket",
            "tokenauth_database_up", "jvm_memory_used_bytes"}) {
            assertTrue(reply.body().contains("\n" + meter), () -> "the scrape should name " + meter);
        }
        assertEquals(1.0, value(reply.body(), "tokenauth_database_up"), "the database answers");
    }

    @Test
    void anAdminsTokenReadsThemToo() {
        String admin = Users.createAdmin(base, "metrics-admin");
        String token = Api.browser(base).login(admin, Users.PASSWORD).createToken(null);

        Api.Reply reply = Api.client(base).get("metrics", Api.auth(token));

        assertEquals(200, reply.status(), reply::body);
        assertTrue(reply.body().contains("\n" + INVALID_TOKENS + " "), reply::body);
    }

    @Test
    void nRefusedUnknownTokensRaiseTheRefusalCountersByExactlyN() {
        Api admin = Users.admin(base);
        String before = admin.get("metrics").body();
        int n = 7;

        for (int i = 0; i < n; i++) {
            assertInvalidToken(Api.client(base).get("api/whoami",
                    Api.auth(TokenFormat.generate(new SecureRandom()))));
        }

        String after = admin.get("metrics").body();
        assertEquals(n, value(after, UNKNOWN_REFUSALS) - value(before, UNKNOWN_REFUSALS), UNKNOWN_REFUSALS);
        assertEquals(n, value(after, INVALID_TOKENS) - value(before, INVALID_TOKENS), INVALID_TOKENS);
    }

    @Test
    void aUserWhoIsNotAnAdminIsRefusedBySessionAndByToken() {
        String name = Users.create(base, "metrics");
        Api user = Api.browser(base).login(name, Users.PASSWORD);

        assertFailure(user.get("metrics"), 403, "Admin only.");
        assertFailure(Api.client(base).get("metrics", Api.auth(user.createToken(null))), 403, "Admin only.");
    }

    @Test
    void aBearerCredentialIsRefusedAsAnInvalidTokenWhenNoScrapeSecretIsSet() {
        assertInvalidToken(Api.client(base).get("metrics", "Authorization", "Bearer " + "x".repeat(40)));
    }

    /** The value of the sample {@code name} (with its labels) in a scrape. */
    static double value(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no sample " + name + " in the scrape:\n" + scrape));
    }

    /** Servers rewrite the same Content-Type with or without spaces after its semicolons (Tomcat drops the first). */
    private static String normalised(String contentType) {
        return contentType.replaceAll(";\\s*", "; ");
    }
}
