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
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;

import dev.tokenauth.config.BadSetting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.config.TokenAuthConfig;
import dev.tokenauth.web.DeviceCookie;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class TokenAuthApplicationTest {

    /** The configuration from context parameters alone (the tests set no tokenauth system property or variable). */
    private static TokenAuthConfig config(Map<String, String> parameters) {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameter(anyString())).thenAnswer(inv -> parameters.get(inv.<String>getArgument(0)));
        return TokenAuthConfig.from(Settings.of(context));
    }

    @Test
    void theScopesDefaultToReadAndWriteAndAnApplicationMayAddItsOwn() {
        assertEquals(Set.of("introspect", "read", "write"), TokenAuthApplication.policy(config(Map.of()).tokens())
                .scopes().known());
        assertEquals(Set.of("introspect", "orders", "read", "write"), TokenAuthApplication.policy(config(
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

    @Test
    void aDeviceCookieKeyShorterThan32CharactersStopsTheStartNamingTheSettingButNotTheValue() {
        TokenAuthConfig config = config(Map.of("tokenauth.device.cookie.key", "short-secret-value"));

        BadSetting e = assertThrows(BadSetting.class,
                () -> TokenAuthApplication.deviceCookie(config.logins(), Clock.systemUTC(), new SecureRandom()));

        assertEquals("Bad tokenauth setting tokenauth.device.cookie.key=(a secret of 18 characters): must be at least "
                + "32 characters", e.getMessage());
    }

    @Test
    void nodesWithTheSameDeviceCookieKeyAcceptEachOthersCookiesAndWithoutOneNoOtherStartDoes() {
        TokenAuthConfig keyed = config(Map.of("tokenauth.device.cookie.key", "0123456789abcdef0123456789abcdef"));
        DeviceCookie one = TokenAuthApplication.deviceCookie(keyed.logins(), Clock.systemUTC(), new SecureRandom());
        DeviceCookie other = TokenAuthApplication.deviceCookie(keyed.logins(), Clock.systemUTC(), new SecureRandom());
        DeviceCookie unkeyed = TokenAuthApplication.deviceCookie(config(Map.of()).logins(), Clock.systemUTC(),
                new SecureRandom());
        DeviceCookie restarted = TokenAuthApplication.deviceCookie(config(Map.of()).logins(), Clock.systemUTC(),
                new SecureRandom());

        assertTrue(other.presented(presenting(issuedBy(one)), "alice").isPresent());
        assertTrue(unkeyed.presented(presenting(issuedBy(unkeyed)), "alice").isPresent());
        assertFalse(restarted.presented(presenting(issuedBy(unkeyed)), "alice").isPresent());
    }

    @Test
    void aBadDeviceAllowanceStopsTheStartNamingTheSetting() {
        BadSetting e = assertThrows(BadSetting.class, () -> config(Map.of("tokenauth.throttle.login.device", "ten")));

        assertEquals("Bad tokenauth setting tokenauth.throttle.login.device='ten': must be a whole number >= 0",
                e.getMessage());
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
