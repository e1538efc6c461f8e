package dev.tokenauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every setting read once, typed and checked, with one kind of error naming the property, the value and the rule. */
class TokenAuthConfigTest {

    private static TokenAuthConfig config(Map<String, String> descriptor) {
        return TokenAuthConfig.from(new Settings(name -> null, name -> null, descriptor::get));
    }

    private static String error(Map<String, String> descriptor) {
        return assertThrows(BadSetting.class, () -> config(descriptor)).getMessage();
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        TokenAuthConfig c = config(Map.of());

        assertEquals(Duration.ofSeconds(2), c.database().timeout());
        assertEquals("jdbc/tokenauth", c.database().dataSource());
        assertFalse(c.database().dataSourceRequired());
        assertEquals(Optional.empty(), c.tokens().defaultLifetime());
        assertEquals(Optional.empty(), c.tokens().maxLifetime());
        assertEquals(Duration.ofDays(1), c.tokens().defaultGrace());
        assertEquals(Duration.ofDays(7), c.tokens().maxGrace());
        assertEquals(10, c.tokens().limitPerUser());
        assertEquals(Duration.ofDays(30), c.tokens().retention());
        assertEquals(List.of("read", "write"), c.tokens().scopes());
        assertEquals(10_000, c.tokens().cacheSize());
        assertEquals(Duration.ofSeconds(1), c.tokens().cacheTtl());
        assertTrue(c.tokens().cacheNotify());
        assertEquals(new TokenAuthConfig.TokenCheck(false, "api", 30), c.tokenCheck());
        assertEquals(new TokenAuthConfig.Logins(30, 10, 10, 600_000, "dev.tokenauth.user", ""), c.logins());
        assertEquals(new TokenAuthConfig.Background(Duration.ofSeconds(60), Duration.ofHours(1)), c.background());
        assertEquals("admin", c.metrics().access());
        assertFalse(c.containerSecurity());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tokenauth.db.timeout|0|must be a whole number of seconds above 0",
        "tokenauth.db.timeout|none|must be a whole number of seconds above 0",
        "tokenauth.token.lastused.interval|-5|must be a whole number of seconds above 0",
        "tokenauth.token.purge.interval|soon|must be a whole number of seconds above 0",
        "tokenauth.token.lifetime.max|0|must be a whole number of seconds above 0, or none",
        "tokenauth.token.lifetime.default|1.5|must be a whole number of seconds above 0, or none",
        "tokenauth.token.rotation.grace|-1|must be a whole number of seconds >= 0",
        "tokenauth.token.limit|0|must be a whole number >= 1",
        "tokenauth.token.limit|ten|must be a whole number >= 1",
        "tokenauth.password.iterations|0|must be a whole number >= 1",
        "tokenauth.throttle.token.address|-1|must be a whole number >= 0",
        "tokenauth.token.cache.size|99999999999|must be at most 2147483647",
        "tokenauth.auth.bearer|yes|must be true or false",
        "tokenauth.container.security|on|must be true or false",
        "tokenauth.auth.realm|a\"b|must contain no quote or backslash",
        "tokenauth.metrics|closed|must be one of admin, open, off",
        "tokenauth.scopes|read,,write|must be a list of names separated by commas, none empty"})
    void aBadSettingStopsTheStartWithOneMessageNamingThePropertyTheValueAndTheRule(String name, String value,
            String rule) {
        assertEquals("Bad tokenauth setting " + name + "='" + value + "': " + rule, error(Map.of(name, value)));
    }

    @Test
    void numbersAreAsciiDigitsOnlySoAFullwidthFiveIsRefused() {
        assertEquals("Bad tokenauth setting tokenauth.token.limit='\uFF15': must be a whole number >= 1",
                error(Map.of("tokenauth.token.limit", "\uFF15")));
        assertEquals("Bad tokenauth setting tokenauth.db.timeout='\u0665': must be a whole number of seconds above 0",
                error(Map.of("tokenauth.db.timeout", "\u0665")));
    }

    @Test
    void settingsThatMustAgreeAreCheckedTogether() {
        assertEquals("Bad tokenauth setting tokenauth.token.lifetime.default='100': must not exceed "
                + "tokenauth.token.lifetime.max (50)", error(Map.of("tokenauth.token.lifetime.default", "100",
                        "tokenauth.token.lifetime.max", "50")));
        assertEquals("Bad tokenauth setting tokenauth.token.rotation.grace='700000': must not exceed "
                + "tokenauth.token.rotation.grace.max (604800)", error(Map.of("tokenauth.token.rotation.grace", "700000")));
    }

    @Test
    void aSecretIsNeverShownInTheErrorNorInTheSummary() {
        BadSetting e = new BadSetting(Setting.METRICS_TOKEN, "short-secret", "must be at least 32 characters");
        assertEquals("Bad tokenauth setting tokenauth.metrics.token=(a secret of 12 characters): must be at least 32 "
                + "characters", e.getMessage());

        TokenAuthConfig c = config(Map.of("tokenauth.db.password", "hunter2-db", "tokenauth.admin.password",
                "hunter2-admin", "tokenauth.metrics.token", "0123456789abcdef0123456789abcdef-scrape",
                "tokenauth.db.url", "jdbc:postgresql://db/tokens?password=hunter2-url"));
        for (String shown : List.of(c.summary(), c.toString(), c.database().toString(), c.metrics().toString())) {
            for (String secret : List.of("hunter2", "0123456789abcdef")) {
                assertFalse(shown.contains(secret), shown);
            }
        }
        assertTrue(c.summary().contains("metrics admin (scrape secret set)"), c.summary());
    }

    @Test
    void theSummaryIsOneLineNamingWhatTheOperatorChose() {
        String summary = config(Map.of("tokenauth.token.lifetime.max", "86400", "tokenauth.throttle.token.address", "0",
                "tokenauth.token.cache.ttl", "0")).summary();

        assertFalse(summary.contains("\n"));
        assertTrue(summary.contains("max lifetime 86400 s"), summary);
        assertTrue(summary.contains("unlimited failed per address"), summary);
        assertTrue(summary.contains("cache off"), summary);
    }

    @Test
    void remoteModeIsOffByDefaultAndTakesABaseUrlItsTokenAndATimeout() {
        assertEquals(new TokenAuthConfig.Remote(Optional.empty(), "", Duration.ofSeconds(2)), config(Map.of()).remote());

        TokenAuthConfig.Remote remote = config(Map.of("tokenauth.remote.url", "https://tokens.example:8443/auth",
                "tokenauth.remote.token", "tka_secret", "tokenauth.remote.timeout", "5")).remote();

        assertEquals(Optional.of(java.net.URI.create("https://tokens.example:8443/auth")), remote.url());
        assertEquals(Duration.ofSeconds(5), remote.timeout());
        assertFalse(remote.toString().contains("tka_secret"), remote.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tokenauth.remote.url|tokens.example|must be an absolute http or https URL",
        "tokenauth.remote.url|ftp://tokens.example|must be an absolute http or https URL",
        "tokenauth.remote.url|https://me:pw@tokens.example|must be a base URL such as https://tokens.example.com,"
                + " with no user, query or fragment (the token goes in tokenauth.remote.token)",
        "tokenauth.remote.url|https://tokens.example/?x=1|must be a base URL such as https://tokens.example.com,"
                + " with no user, query or fragment (the token goes in tokenauth.remote.token)",
        "tokenauth.remote.timeout|61|must be at most 60",
        "tokenauth.remote.timeout|0|must be a whole number of seconds above 0",
    })
    void badRemoteSettingsStopTheStart(String property, String value, String rule) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("tokenauth.remote.token", "tka_x"));
        settings.put(property, value);
        if (!property.equals("tokenauth.remote.url")) {
            settings.put("tokenauth.remote.url", "https://tokens.example");
        }

        String message = error(settings);

        assertTrue(message.endsWith(rule), message);
        assertTrue(message.contains(property), message);
    }

    @Test
    void remoteModeNeedsItsTokenAndNeverNamesIt() {
        String message = error(Map.of("tokenauth.remote.url", "https://tokens.example"));

        assertTrue(message.contains("tokenauth.remote.token") && message.endsWith("is needed with "
                + "tokenauth.remote.url: a token of the service with the scope introspect"), message);
    }
}
