package dev.tokenauth.web;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses (403 JSON) a state-changing request that a browser makes with a login session unless it carries the
 * session's {@link CsrfTokens} token in the {@value CsrfTokens#HEADER} header.
 * <p>
 * It applies to what only a browser can be tricked into: requests that ride on a session cookie (no
 * {@code Authorization} header: a token never falls back to the session) and that come from a browser, which
 * says so with {@code Sec-Fetch-Site} or {@code Origin}. Clients such as curl send neither; they hold their own
 * cookie jar and cannot be made to send a request by another site, so the documented
 * {@code curl -b cookies -X POST .../api/create_token} keeps working. This is a second line behind
 * {@link SameOriginPolicy} and SameSite cookies.
 */
public class CsrfFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    static final String REFUSED = "Missing or invalid CSRF token; reload the page.";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (needsToken(request) && !CsrfTokens.matches(request)) {
            response.setHeader("Cache-Control", "no-store");
            JsonResponses.failure(response, HttpServletResponse.SC_FORBIDDEN, REFUSED);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean needsToken(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod())
                && request.getHeader("Authorization") == null
                && request.getSession(false) != null
                && (request.getHeader("Sec-Fetch-Site") != null || request.getHeader("Origin") != null);
    }
}
