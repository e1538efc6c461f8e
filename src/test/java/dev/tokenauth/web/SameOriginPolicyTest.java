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

    @ParameterizedTest
    @ValueSource(strings = {
        "https://evil.example/page",
        "https://evil.example",
        "http://api.example.com/account",
        "https://api.example.com:8443/",
        "https://api.example.com.evil.example/",
        "https://user@api.example.com/",
        "//api.example.com/account",
        "/account",
        "not a url",
    })
    void withoutSecFetchSiteAndOriginAReferrerFromAnotherOriginIsCrossSite(String referer) {
        when(request.getHeader("Referer")).thenReturn(referer);

        assertTrue(SameOriginPolicy.isCrossSite(request), "Referer: " + referer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com/account?x=1", "https://API.example.com/", "https://api.example.com",
        " ", ""})
    void aReferrerFromTheOwnOriginOrABlankOneIsNotCrossSite(String referer) {
        when(request.getHeader("Referer")).thenReturn(referer);

        assertFalse(SameOriginPolicy.isCrossSite(request), "Referer: '" + referer + "'");
    }

    @Test
    void secFetchSiteOrOriginDecideBeforeTheReferrer() {
        when(request.getHeader("Referer")).thenReturn("https://evil.example/");
        when(request.getHeader("Origin")).thenReturn("https://api.example.com");
        assertFalse(SameOriginPolicy.isCrossSite(request), "the Origin is the request's own");

        when(request.getHeader("Origin")).thenReturn(null);
        when(request.getHeader("Sec-Fetch-Site")).thenReturn("same-origin");
        assertFalse(SameOriginPolicy.isCrossSite(request), "Sec-Fetch-Site: same-origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "Opera/9.80 (Windows NT 6.1) Presto/2.12.388 Version/12.16",
    })
    void aBrowserThatSendsNoneOfTheThreeHeadersIsOfUnknownOrigin(String userAgent) {
        when(request.getHeader("User-Agent")).thenReturn(userAgent);

        assertTrue(SameOriginPolicy.isBrowserRequestOfUnknownOrigin(request), userAgent);
        when(request.getHeader("Referer")).thenReturn(" ");
        assertTrue(SameOriginPolicy.isBrowserRequestOfUnknownOrigin(request), "a blank Referer says nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"curl/8.5.0", "Java-http-client/17.0.9", "python-requests/2.31", "Wget/1.21", "mozilla/5.0",
        ""})
    void aClientThatIsNoBrowserIsNotOfUnknownOriginWhateverItSends(String userAgent) {
        when(request.getHeader("User-Agent")).thenReturn(userAgent);

        assertFalse(SameOriginPolicy.isBrowserRequestOfUnknownOrigin(request), userAgent);
    }

    @Test
    void aClientWithoutUserAgentIsNotOfUnknownOrigin() {
        assertFalse(SameOriginPolicy.isBrowserRequestOfUnknownOrigin(request));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sec-Fetch-Site", "Origin", "Referer"})
    void aBrowserThatSendsAnyOfTheThreeHeadersSaysWhereItComesFrom(String header) {
        when(request.getHeader("User-Agent")).thenReturn("Mozilla/5.0 (Windows NT 10.0) Firefox/115.0");
        when(request.getHeader(header)).thenReturn(header.equals("Sec-Fetch-Site") ? "none"
                : "https://api.example.com");

        assertFalse(SameOriginPolicy.isBrowserRequestOfUnknownOrigin(request), header);
    }

    @Test
    void neitherHeaderIsNotCrossSite() {
        assertFalse(SameOriginPolicy.isCrossSite(request), "a client such as curl sends none of the headers");
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
