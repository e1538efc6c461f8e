package dev.tokenauth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.web.DeviceCookie;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class TokenAuthApplicationTest {

    /** Settings from context parameters alone (the tests set no tokenauth system property or variable). */
    private static Settings contextParameters(Map<String, String> parameters) {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameter(anyString())).thenAnswer(inv -> parameters.get(inv.<String>getArgument(0)));
        return Settings.of(context);
    }

    @Test
    void theBackgroundIntervalsDefaultToAMinuteAndAnHour() {
        Settings defaults = contextParameters(Map.of());
        assertEquals(Duration.ofSeconds(60), TokenAuthApplication.interval(defaults, Setting.LAST_USED_INTERVAL));
        assertEquals(Duration.ofHours(1), TokenAuthApplication.interval(defaults, Setting.PURGE_INTERVAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "0", "-5", "soon"})
    void aBackgroundIntervalThatIsNotAPositiveNumberStopsTheStartNamingTheSetting(String value) {
        Settings settings = contextParameters(Map.of("tokenauth.token.lastused.interval", value));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TokenAuthApplication.interval(settings, Setting.LAST_USED_INTERVAL));

        assertTrue(e.getMessage().contains("tokenauth.token.lastused.interval"), e.getMessage());
    }

    @Test
    void aBadTokenSettingStopsTheStartNamingIt() {
        Settings settings = contextParameters(Map.of("tokenauth.token.limit", "ten"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TokenAuthApplication.policy(settings));

        assertTrue(e.getMessage().contains("tokenauth.token.limit"), e.getMessage());
    }

    @Test
    void theScopesDefaultToReadAndWriteAndAnApplicationMayAddItsOwn() {
        assertEquals(Set.of("read", "write"),
                TokenAuthApplication.policy(contextParameters(Map.of())).scopes().known());
        assertEquals(Set.of("orders", "read", "write"), TokenAuthApplication.policy(contextParameters(
                Map.of("tokenauth.scopes", "read, write, orders"))).scopes().known());
    }

    @ParameterizedTest
    @ValueSource(strings = {"read", "read,write,Orders"})
    void badScopesStopTheStartNamingTheSetting(String value) {
        Settings settings = contextParameters(Map.of("tokenauth.scopes", value));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TokenAuthApplication.policy(settings));

        assertTrue(e.getMessage().startsWith("Bad tokenauth.scopes '" + value + "': "), e.getMessage());
    }

    @Test
    void newPasswordsAreHashedWithOwaspsSixHundredThousandIterationsByDefault() {
        assertEquals(600_000, TokenAuthApplication.passwordIterations(contextParameters(Map.of())));
    }

    @Test
    void thePasswordIterationsCanBeSetLower() {
        Settings settings = contextParameters(Map.of("tokenauth.password.iterations", "1000"));

        assertEquals(1000, TokenAuthApplication.passwordIterations(settings));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "many", "none"})
    void passwordIterationsThatAreNotAPositiveNumberStopTheStartNamingTheSetting(String value) {
        Settings settings = contextParameters(Map.of("tokenauth.password.iterations", value));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TokenAuthApplication.passwordIterations(settings));

        assertTrue(e.getMessage().contains("tokenauth.password.iterations"), e.getMessage());
    }

    @Test
    void theApplicationsClockKeepsWholeMillisecondsWhichEveryDatabaseStoresExactly() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, TokenAuthApplication.clock().instant().getNano() % 1_000_000);
        }
    }

    @Test
    void aDeviceCookieKeyShorterThan32CharactersStopsTheStartNamingTheSettingButNotTheValue() {
        Settings settings = contextParameters(Map.of("tokenauth.device.cookie.key", "short-secret-value"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TokenAuthApplication.deviceCookie(settings, Clock.systemUTC(), new SecureRandom()));

        assertEquals("Bad tokenauth setting: tokenauth.device.cookie.key must be at least 32 characters",
                e.getMessage());
    }

    @Test
    void nodesWithTheSameDeviceCookieKeyAcceptEachOthersCookiesAndWithoutOneNoOtherStartDoes() {
        Settings keyed = contextParameters(Map.of("tokenauth.device.cookie.key", "0123456789abcdef0123456789abcdef"));
        DeviceCookie one = TokenAuthApplication.deviceCookie(keyed, Clock.systemUTC(), new SecureRandom());
        DeviceCookie other = TokenAuthApplication.deviceCookie(keyed, Clock.systemUTC(), new SecureRandom());
        DeviceCookie unkeyed = TokenAuthApplication.deviceCookie(contextParameters(Map.of()), Clock.systemUTC(),
                new SecureRandom());
        DeviceCookie restarted = TokenAuthApplication.deviceCookie(contextParameters(Map.of()), Clock.systemUTC(),
                new SecureRandom());

        assertTrue(other.presented(presenting(issuedBy(one)), "alice").isPresent());
        assertTrue(unkeyed.presented(presenting(issuedBy(unkeyed)), "alice").isPresent());
        assertFalse(restarted.presented(presenting(issuedBy(unkeyed)), "alice").isPresent());
    }

    @Test
    void aBadDeviceAllowanceStopsTheStartNamingTheSetting() {
        Settings settings = contextParameters(Map.of("tokenauth.throttle.login.device", "ten"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TokenAuthApplication.loginThrottle(settings));

        assertTrue(e.getMessage().contains("tokenauth.throttle.login.device"), e.getMessage());
    }

    /** The value of the device cookie {@code cookies} gives alice at her login. */
    private static String issuedBy(DeviceCookie cookies) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getContextPath()).thenReturn("");
        HttpServletResponse response = mock(HttpServletResponse.class);
        cookies.issue(request, response, "alice");
        ArgumentCaptor<String> header = ArgumentCaptor.forClass(String.class);
        verify(response).addHeader(eq("Set-Cookie"), header.capture());
        return header.getValue().substring((DeviceCookie.NAME + "=").length(), header.getValue().indexOf(';'));
    }

    private static HttpServletRequest presenting(String value) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getCookies()).thenReturn(new Cookie[] {new Cookie(DeviceCookie.NAME, value)});
        return request;
    }
}
