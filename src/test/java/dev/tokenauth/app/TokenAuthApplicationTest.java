package dev.tokenauth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tokenauth.config.BadSetting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.config.TokenAuthConfig;
import jakarta.servlet.ServletContext;

class TokenAuthApplicationTest {

    /** The configuration from context parameters alone (the tests set no tokenauth system property or variable). */
    private static TokenAuthConfig config(Map<String, String> parameters) {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameter(anyString())).thenAnswer(inv -> parameters.get(inv.<String>getArgument(0)));
        return TokenAuthConfig.from(Settings.of(context));
    }

    @Test
    void theScopesDefaultToReadAndWriteAndAnApplicationMayAddItsOwn() {
        assertEquals(Set.of("read", "write"), TokenAuthApplication.policy(config(Map.of()).tokens()).scopes().known());
        assertEquals(Set.of("orders", "read", "write"), TokenAuthApplication.policy(config(
                Map.of("tokenauth.scopes", "read, write, orders")).tokens()).scopes().known());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "read|Bad tokenauth setting tokenauth.scopes='read': ",
        "read,write,Orders|Bad tokenauth setting tokenauth.scopes='read,write,Orders': "})
    void badScopesStopTheStartNamingTheSettingAndTheValue(String value, String start) {
        TokenAuthConfig config = config(Map.of("tokenauth.scopes", value));

        BadSetting e = assertThrows(BadSetting.class, () -> TokenAuthApplication.policy(config.tokens()));

        assertEquals(true, e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void aLifetimeOverAHundredYearsStopsTheStartNamingTheSetting() {
        TokenAuthConfig config = config(Map.of("tokenauth.token.lifetime.max", "3153600001"));

        BadSetting e = assertThrows(BadSetting.class, () -> TokenAuthApplication.policy(config.tokens()));

        assertEquals("Bad tokenauth setting tokenauth.token.lifetime.max='3153600001': must be at most 3153600000 "
                + "seconds (100 years)", e.getMessage());
    }

    @Test
    void theApplicationsClockKeepsWholeMillisecondsWhichEveryDatabaseStoresExactly() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, TokenAuthApplication.clock().instant().getNano() % 1_000_000);
        }
    }
}
