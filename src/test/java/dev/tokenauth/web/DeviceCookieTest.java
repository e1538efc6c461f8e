package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import dev.tokenauth.token.MutableClock;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class DeviceCookieTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final DeviceCookie cookies = DeviceCookie.withKey(KEY, clock, new SecureRandom());

    private String signed(String username) {
        return cookies.sign(username).orElseThrow();
    }

    @Test
    void aSignedCookieNamesTheUserTheIssueTimeANonceAndItsMac() {
        String value = signed("alice");

        assertTrue(value.matches("alice\\|" + NOW.getEpochSecond() + "\\|[A-Za-z0-9_-]{22}\\|[A-Za-z0-9_-]{43}"),
                value);
        assertNotEquals(value, signed("alice"), "every cookie has a nonce of its own");
    }

    @Test
    void aCookieVerifiesForItsOwnUserAsADeviceWhoseIdIsNotTheNonce() {
        String value = signed("alice");
        String nonce = value.split("\\|")[2];

        DeviceCookie.Device device = cookies.verify(value, "alice").orElseThrow();

        assertEquals("alice", device.username());
        assertTrue(device.id().matches("[0-9a-f]{64}"), device.id());
        assertFalse(device.id().contains(nonce));
        assertEquals(device, cookies.verify(value, "alice").orElseThrow(), "the same cookie is the same device");
        assertNotEquals(device.id(), cookies.verify(signed("alice"), "alice").orElseThrow().id(),
                "another cookie is another device");
    }

    @Test
    void theNameTriedIsComparedInCanonicalForm() {
        assertTrue(cookies.verify(signed("alice"), " alice ").isPresent());
        assertTrue(cookies.verify(signed(" alice"), "alice").isPresent());
    }

    @Test
    void anotherUsersCookieProvesNothing() {
        assertEquals(Optional.empty(), cookies.verify(signed("bob"), "alice"));
        assertEquals(Optional.empty(), cookies.verify(signed("alice"), "Alice"));
    }

    @Test
    void aCookieSignedWithAnotherKeyProvesNothing() {
        DeviceCookie other = DeviceCookie.withKey("fedcba9876543210fedcba9876543210", clock, new SecureRandom());
        DeviceCookie thisStartOnly = DeviceCookie.withRandomKey(clock, new SecureRandom());

        assertEquals(Optional.empty(), cookies.verify(other.sign("alice").orElseThrow(), "alice"));
        assertEquals(Optional.empty(), cookies.verify(thisStartOnly.sign("alice").orElseThrow(), "alice"));
        assertEquals(Optional.empty(), thisStartOnly.verify(signed("alice"), "alice"));
    }

    @Test
    void aCookieExpiresThirtyDaysAfterItWasIssued() {
        String value = signed("alice");

        clock.advance(Duration.ofDays(30).minusSeconds(1));
        assertTrue(cookies.verify(value, "alice").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), cookies.verify(value, "alice"));
    }

    @Test
    void aTamperedCookieProvesNothingWhicheverPartWasChanged() {
        String[] parts = signed("alice").split("\\|");
        String mac = parts[3];
        String[] tampered = {
            "alicf|" + parts[1] + "|" + parts[2] + "|" + mac,
            "bob|" + parts[1] + "|" + parts[2] + "|" + mac,
            "alice|" + (Long.parseLong(parts[1]) + 86_400) + "|" + parts[2] + "|" + mac,
            "alice|" + parts[1] + "|" + flipped(parts[2]) + "|" + mac,
            "alice|" + parts[1] + "|" + parts[2] + "|" + flipped(mac),
            "alice|" + parts[1] + "|" + parts[2] + "|" + mac.substring(1),
            "alice|" + parts[1] + "|" + parts[2] + "|",
            "alice|" + parts[1] + "|" + parts[2],
            "alice|" + parts[1] + "|" + parts[2] + "|" + mac + "|x",
            "alice|" + parts[1] + "|" + parts[2] + "|" + mac + "=",
            "alice",
            "",
        };
        for (String value : tampered) {
            assertEquals(Optional.empty(), cookies.verify(value, "alice"), value);
        }
        assertEquals(Optional.empty(), cookies.verify(null, "alice"));
        assertEquals(Optional.empty(), cookies.verify(signed("alice"), null));
    }

    @Test
    void aNameNoCookieValueCanCarryGetsNoCookie() {
        assertEquals(Optional.empty(), cookies.sign("al ice"));
        assertEquals(Optional.empty(), cookies.sign("al;ice"));
        assertEquals(Optional.empty(), cookies.sign("al|ice"));
        assertEquals(Optional.empty(), cookies.sign(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123456789abcdef0123456789abcde"})
    void aKeyShorterThan32CharactersIsRefused(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceCookie.withKey(key, clock, new SecureRandom()));

        assertEquals("must be at least 32 characters", e.getMessage());
    }

    @Test
    void theIssuedCookieIsHttpOnlySameSiteStrictForTheApplicationsPathForThirtyDays() {
        String header = issued("/shop", false);

        assertTrue(header.matches("tokenauth_device=alice\\|" + NOW.getEpochSecond()
                + "\\|[A-Za-z0-9_-]{22}\\|[A-Za-z0-9_-]{43}; Path=/shop; Max-Age=2592000; HttpOnly; SameSite=Strict"),
                header);
    }

    @Test
    void theIssuedCookieIsSecureOverHttpsAndForTheRootPathInTheRootContext() {
        String header = issued("", true);

        assertTrue(header.matches("tokenauth_device=[^;]+; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Strict"),
                header);
    }

    @Test
    void aNameNoCookieCanCarryIsIssuedNoCookie() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getContextPath()).thenReturn("");
        HttpServletResponse response = mock(HttpServletResponse.class);

        cookies.issue(request, response, "al ice");

        verify(response, never()).addHeader(anyString(), anyString());
    }

    @Test
    void theRequestsDeviceIsTheFirstOfItsDeviceCookiesValidForTheNameTried() {
        String bobs = signed("bob");
        String alices = signed("alice");
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getCookies()).thenReturn(new Cookie[] {new Cookie("JSESSIONID", alices),
            new Cookie(DeviceCookie.NAME, "alice|1|x|y"), new Cookie(DeviceCookie.NAME, bobs),
            new Cookie(DeviceCookie.NAME, alices)});

        assertEquals(cookies.verify(alices, "alice"), cookies.presented(request, "alice"));
        assertEquals(cookies.verify(bobs, "bob"), cookies.presented(request, "bob"));
        assertEquals(Optional.empty(), cookies.presented(request, "carol"));
        assertEquals(Optional.empty(), cookies.presented(request, null));
    }

    @Test
    void aRequestWithoutCookiesHasNoDevice() {
        assertEquals(Optional.empty(), cookies.presented(mock(HttpServletRequest.class), "alice"));
    }

    private String issued(String contextPath, boolean secure) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getContextPath()).thenReturn(contextPath);
        when(request.isSecure()).thenReturn(secure);
        HttpServletResponse response = mock(HttpServletResponse.class);

        cookies.issue(request, response, "alice");

        ArgumentCaptor<String> header = ArgumentCaptor.forClass(String.class);
        verify(response).addHeader(org.mockito.ArgumentMatchers.eq("Set-Cookie"), header.capture());
        return header.getValue();
    }

    private static String flipped(String s) {
        char c = s.charAt(0);
        return (c == 'A' ? 'B' : 'A') + s.substring(1);
    }
}
