package dev.tokenauth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.tokenauth.config.BadSetting;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsAccessTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void theDefaultIsAdminsWithoutAScrapeSecret() {
        MetricsAccess access = MetricsAccess.of("admin", "");

        assertEquals(MetricsAccess.Mode.ADMIN, access.mode());
        assertFalse(access.isScrapeSecret("Bearer "), "no secret set: nothing matches, not even an empty one");
        assertEquals("admins", access.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "OPEN", " Open "})
    void theModeIsReadInAnyCase(String mode) {
        assertEquals(MetricsAccess.Mode.OPEN, MetricsAccess.of(mode, "").mode());
    }

    @Test
    void anUnknownModeStopsTheStartNamingTheSetting() {
        BadSetting e = assertThrows(BadSetting.class, () -> MetricsAccess.of("on", ""));

        assertEquals("Bad tokenauth setting tokenauth.metrics='on': must be admin, open or off", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"short-secret", "0123456789abcdef 0123456789abcdef", "0123456789abcdef0123456789abcdeé"})
    void aShortOrUnprintableSecretStopsTheStartWithoutShowingIt(String secret) {
        BadSetting e = assertThrows(BadSetting.class, () -> MetricsAccess.of("admin", secret));

        assertEquals("Bad tokenauth setting tokenauth.metrics.token=(a secret of " + secret.length() + " characters): "
                + "must be at least 32 printable ASCII characters without spaces", e.getMessage());
    }

    @Test
    void theScrapeSecretMatchesOnlyAsABearerCredentialExactly() {
        MetricsAccess access = MetricsAccess.of("admin", SECRET);

        assertTrue(access.isScrapeSecret("Bearer " + SECRET));
        assertTrue(access.isScrapeSecret("bearer " + SECRET), "the scheme in any case (RFC 7235)");
        assertFalse(access.isScrapeSecret("Token " + SECRET));
        assertFalse(access.isScrapeSecret("Bearer " + SECRET + "x"));
        assertFalse(access.isScrapeSecret("Bearer " + SECRET.substring(1)));
        assertFalse(access.isScrapeSecret(SECRET));
        assertFalse(access.isScrapeSecret(null));
        assertEquals("admins and the scrape secret", access.toString(), "never the secret itself");
    }

    @Test
    void offAndOpenNeedNoSecretAndAcceptNone() {
        assertFalse(MetricsAccess.of("off", SECRET).isScrapeSecret("Bearer " + SECRET));
        assertFalse(MetricsAccess.of("open", SECRET).isScrapeSecret("Bearer " + SECRET));
        assertEquals("off", MetricsAccess.of("off", "").toString());
    }
}
