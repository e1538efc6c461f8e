package dev.tokenauth.web;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards an API: a request passes with an active token ({@code Authorization: Token <token>}) or, with no
 * Authorization header, with a login session; anything else is refused with 401 JSON. Behind it,
 * {@code getRemoteUser()} and {@code getUserPrincipal()} name the user and {@link Caller#of} says how they
 * came.
 * <p>
 * A request that presents a token stands or falls by that token: it never falls back to a session that came
 * along with it. The filter knows only {@link TokenAuthenticator}, found in the servlet context under
 * {@link #AUTHENTICATOR_ATTRIBUTE}.
 * <p>
 * Settings (init-parameter, context parameter, system property or environment variable; see {@link Setting}):
 * {@code tokenauth.auth.bearer} (default false), {@code tokenauth.auth.realm} (default {@code api}),
 * {@code tokenauth.session.attribute} (default {@code dev.tokenauth.user}).
 */
public class TokenAuthFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TokenAuthFilter.class.getName());

    /** The servlet-context attribute that holds the {@link TokenAuthenticator}. */
    public static final String AUTHENTICATOR_ATTRIBUTE = TokenAuthenticator.class.getName();

    private transient TokenAuthenticator authenticator;
    private transient AuthorizationHeaderParser headerParser;
    private transient AuthChallenge challenge;
    private transient SessionLogin sessionLogin;

    public TokenAuthFilter() {
    }

    /** For use without a servlet context lookup, e.g. when registered programmatically. */
    public TokenAuthFilter(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        if (authenticator == null) {
            authenticator = (TokenAuthenticator) config.getServletContext().getAttribute(AUTHENTICATOR_ATTRIBUTE);
        }
        if (authenticator == null) {
            throw new ServletException("No TokenAuthenticator in the servlet context attribute "
                    + AUTHENTICATOR_ATTRIBUTE + ": register dev.tokenauth.app.TokenAuthApplication as a listener");
        }
        Settings settings = Settings.of(config);
        boolean allowBearer;
        try {
            allowBearer = settings.flag(Setting.ALLOW_BEARER);
            challenge = new AuthChallenge(settings.get(Setting.REALM));
        } catch (IllegalArgumentException e) {
            throw new ServletException("Bad TokenAuthFilter configuration: " + e.getMessage(), e);
        }
        headerParser = new AuthorizationHeaderParser(allowBearer);
        sessionLogin = new SessionLogin(settings.get(Setting.SESSION_USER_ATTRIBUTE));
        LOG.info(() -> "TokenAuthFilter '" + config.getFilterName() + "': schemes Token" + (allowBearer ? ", Bearer" : "")
                + "; challenge " + challenge.challenge() + "; session attribute "
                + settings.get(Setting.SESSION_USER_ATTRIBUTE));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Whatever the outcome, these answers are about one caller's credentials: never cache them.
        response.setHeader("Cache-Control", "no-store");

        List<String> authorization = Collections.list(request.getHeaders("Authorization"));
        if (!authorization.isEmpty()) {
            filterByToken(authorization, request, response, chain);
            return;
        }

        Optional<String> sessionUser = sessionLogin.user(request);
        if (sessionUser.isEmpty()) {
            challenge.notLoggedIn(response);
            return;
        }
        // The API never serves a cross-site page, so no request riding on the session may come from another
        // site, whatever its method (GET create_token changes state too).
        if (SameOriginPolicy.isCrossSite(request)) {
            JsonResponses.failure(response, HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused.");
            return;
        }
        chain.doFilter(new AuthenticatedRequest(request, Caller.bySession(sessionUser.get())), response);
    }

    /** Passes the request on as the token's owner, or refuses it. */
    private void filterByToken(List<String> headers, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws IOException, ServletException {
        Optional<String> presented = headers.size() == 1 ? headerParser.parse(headers.get(0)) : Optional.empty();
        if (presented.isEmpty()) {
            challenge.invalidToken(response);
            return;
        }
        Optional<AuthenticatedToken> token;
        try {
            token = authenticator.authenticate(presented.get(), request.getRemoteAddr());
        } catch (StoreUnavailableException e) {
            LOG.log(Level.SEVERE, "Refusing a request: the token store did not answer", e);
            JsonResponses.failure(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, JsonServlet.UNAVAILABLE);
            return;
        }
        if (token.isEmpty()) {
            challenge.invalidToken(response);
            return;
        }
        chain.doFilter(new AuthenticatedRequest(request, Caller.byToken(token.get().owner(), token.get().id())),
                response);
    }
}
