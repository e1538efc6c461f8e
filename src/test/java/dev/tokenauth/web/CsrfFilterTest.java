package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

class CsrfFilterTest {

    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Object> sessionAttributes = new HashMap<>();
    private final RecordedResponse recorded = new RecordedResponse();
    private HttpServletRequest request;
    private HttpServletResponse response;
    private HttpSession session;
    private FilterChain chain;

    @BeforeEach
    void setUp() throws Exception {
        request = mock(HttpServletRequest.class);
        when(request.getHeader(anyString())).thenAnswer(inv -> headers.get(inv.<String>getArgument(0)));
        when(request.getMethod()).thenReturn("POST");
        session = mock(HttpSession.class);
        when(session.getAttribute(anyString())).thenAnswer(inv -> sessionAttributes.get(inv.<String>getArgument(0)));
        doAnswer(inv -> sessionAttributes.put(inv.getArgument(0), inv.getArgument(1)))
                .when(session).setAttribute(anyString(), any());
        when(request.getSession(false)).thenReturn(session);
        response = recorded.response();
        chain = mock(FilterChain.class);
    }

    private void runFilter() throws Exception {
        new CsrfFilter().doFilter(request, response, chain);
    }

    private void verifyRefused() throws Exception {
        verify(response).setStatus(403);
        assertEquals("{\"msg\":\"Missing or invalid CSRF token; reload the page.\",\"success\":false}", recorded.body());
        verify(chain, never()).doFilter(any(), any());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sec-Fetch-Site", "Origin"})
    void doFilterWhenABrowserPostsWithTheSessionButNoTokenThenForbidden(String browserHeader) throws Exception {
        CsrfTokens.of(session);
        headers.put(browserHeader, "same-origin");

        runFilter();

        verifyRefused();
    }

    @Test
    void doFilterWhenABrowserSendsAWrongTokenThenForbidden() throws Exception {
        CsrfTokens.of(session);
        headers.put("Sec-Fetch-Site", "same-origin");
        headers.put(CsrfTokens.HEADER, "not-the-token");

        runFilter();

        verifyRefused();
    }

    @Test
    void doFilterWhenTheSessionHasNoTokenYetThenAnyTokenIsForbidden() throws Exception {
        headers.put("Sec-Fetch-Site", "same-origin");
        headers.put(CsrfTokens.HEADER, "");

        runFilter();

        verifyRefused();
    }

    @Test
    void doFilterWhenABrowserSendsTheSessionsTokenThenTheChainRuns() throws Exception {
        headers.put("Sec-Fetch-Site", "same-origin");
        headers.put(CsrfTokens.HEADER, CsrfTokens.of(session));

        runFilter();

        verify(chain).doFilter(request, response);
    }

    @Test
    void doFilterWhenAClientSendsNeitherSecFetchSiteNorOriginThenNoTokenIsNeeded() throws Exception {
        runFilter();

        verify(chain).doFilter(request, response);
    }

    @Test
    void doFilterWhenATokenAuthenticatesTheRequestThenNoCsrfTokenIsNeeded() throws Exception {
        headers.put("Origin", "https://api.example.com");
        headers.put("Authorization", "Token abc");

        runFilter();

        verify(chain).doFilter(request, response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void doFilterWhenTheMethodIsSafeThenNoTokenIsNeeded(String method) throws Exception {
        when(request.getMethod()).thenReturn(method);
        headers.put("Sec-Fetch-Site", "same-origin");

        runFilter();

        verify(chain).doFilter(request, response);
    }

    @Test
    void doFilterWhenThereIsNoSessionThenTheFilterLeavesTheRefusalToTheLoginCheck() throws Exception {
        when(request.getSession(false)).thenReturn(null);
        headers.put("Sec-Fetch-Site", "same-origin");

        runFilter();

        verify(chain).doFilter(request, response);
    }

    @Test
    void eachSessionGetsItsOwnRandomTokenThatStaysTheSame() {
        String first = CsrfTokens.of(session);
        HttpSession other = mock(HttpSession.class);

        assertEquals(first, CsrfTokens.of(session));
        assertEquals(43, first.length(), "256 bits, base64url");
        assertNotEquals(first, CsrfTokens.of(other));
    }
}
