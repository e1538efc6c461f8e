package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.servlet.http.HttpServletRequest;

class SameOriginPolicyTest {

    private HttpServletRequest request;

    @BeforeEach
    void setUp() {
        request = mock(HttpServletRequest.class);
        when(request.getScheme()).thenReturn("https");
        when(request.getHeader("Host")).thenReturn("api.example.com");
        when(request.getServerName()).thenReturn("api.example.com");
        when(request.getServerPort()).thenReturn(443);
    }

    @ParameterizedTest
    @ValueSource(strings = {"same-origin", "none"})
    void secFetchSiteSameOriginOrNoneIsNotCrossSite(String site) {
        when(request.getHeader("Sec-Fetch-Site")).thenReturn(site);
        // Even with a foreign Origin: the browser's Sec-Fetch-Site is the answer.
        when(request.getHeader("Origin")).thenReturn("https://evil.example");

        assertFalse(SameOriginPolicy.isCrossSite(request), "Sec-Fetch-Site: " + site);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "same-site", "unexpected"})
    void secFetchSiteCrossSiteOrSameSiteIsCrossSite(String site) {
        when(request.getHeader("Sec-Fetch-Site")).thenReturn(site);
        when(request.getHeader("Origin")).thenReturn("https://api.example.com");

        assertTrue(SameOriginPolicy.isCrossSite(request), "Sec-Fetch-Site: " + site);
    }

    @Test
    void originEqualToSchemeAndHostIsNotCrossSite() {
        when(request.getHeader("Origin")).thenReturn("https://api.example.com");

        assertFalse(SameOriginPolicy.isCrossSite(request));
    }

    @Test
    void originEqualToSchemeAndHostWithPortIsNotCrossSite() {
        when(request.getScheme()).thenReturn("http");
        when(request.getHeader("Host")).thenReturn("localhost:8080");
        when(request.getHeader("Origin")).thenReturn("http://localhost:8080");

        assertFalse(SameOriginPolicy.isCrossSite(request));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://evil.example",
        "http://api.example.com",
        "https://api.example.com:8443",
        "https://sub.api.example.com",
        "https://api.example.com.evil.example",
        "null",
        "",
    })
    void originDifferentFromOwnOriginIsCrossSite(String origin) {
        when(request.getHeader("Origin")).thenReturn(origin);

        assertTrue(SameOriginPolicy.isCrossSite(request), "Origin: " + origin);
    }

    @Test
    void neitherHeaderIsNotCrossSite() {
        assertFalse(SameOriginPolicy.isCrossSite(request), "a client such as curl sends neither header");
    }

    @Test
    void ownOriginWithoutHostHeaderOmitsTheDefaultPort() {
        when(request.getHeader("Host")).thenReturn(null);

        assertEquals("https://api.example.com", SameOriginPolicy.ownOrigin(request));
    }

    @Test
    void ownOriginWithoutHostHeaderNamesANonDefaultPort() {
        when(request.getHeader("Host")).thenReturn(null);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("localhost");
        when(request.getServerPort()).thenReturn(8080);

        assertEquals("http://localhost:8080", SameOriginPolicy.ownOrigin(request));
    }
}
