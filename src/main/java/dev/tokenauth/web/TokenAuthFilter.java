package dev.tokenauth.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.metrics.Outcomes.Authentication;
import dev.tokenauth.throttle.FailureThrottle;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;
import dev.tokenauth.user.AccountStatus;
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
 * along with it. A session of a user who has since been disabled ends there. An admin who acts as a user (see
 * {@link SessionLogin#actingFor}) is that user behind the filter, and {@link Caller#actingUser()} names the admin.
 * <p>
 * The filter knows only {@link TokenAuthenticator}, found in the servlet context under
 * {@link #AUTHENTICATOR_ATTRIBUTE}, and optionally {@link AccountStatus} under {@link AccountStatus#ATTRIBUTE} and
 * {@link Outcomes} (told how each request was answered, for the metrics) under {@link Outcomes#ATTRIBUTE}.
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

    /** Failed token authentications are counted per client address over this window, as GitLab does. */
    public static final Duration TOKEN_FAILURE_WINDOW = Duration.ofMinutes(3);

    private transient TokenAuthenticator authenticator;
    private transient AccountStatus accounts;
    private transient AuthorizationHeaderParser headerParser;
    private transient AuthChallenge challenge;
    private transient SessionLogin sessionLogin;
    private transient FailureThrottle throttle;
    private transient Outcomes outcomes;

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
        if (accounts == null) {
            Object status = config.getServletContext().getAttribute(AccountStatus.ATTRIBUTE);
            accounts = status == null ? AccountStatus.ALL_ENABLED : (AccountStatus) status;
        }
        Object counting = config.getServletContext().getAttribute(Outcomes.ATTRIBUTE);
        outcomes = counting == null ? Outcomes.NONE : (Outcomes) counting;
        Settings settings = Settings.of(config);
        boolean allowBearer;
        try {
            allowBearer = settings.flag(Setting.ALLOW_BEARER);
            challenge = new AuthChallenge(settings.get(Setting.REALM));
        } catch (IllegalArgumentException e) {
            throw new ServletException("Bad TokenAuthFilter configuration: " + e.getMessage(), e);
        }
        headerParser = new AuthorizationHeaderParser(allowBearer);
        long failuresPerAddress;
        try {
            failuresPerAddress = settings.integer(Setting.THROTTLE_TOKEN_ADDRESS);
        } catch (IllegalArgumentException e) {
            throw new ServletException("Bad TokenAuthFilter configuration: " + e.getMessage(), e);
        }
        throttle = FailureThrottle.of(failuresPerAddress, TOKEN_FAILURE_WINDOW);
        // Not the filter's own: login, logout and act-as write the attribute this reads, so all take it from the
        // application's settings, never from the filter's init-parameters.
        String sessionAttribute = Settings.of(config.getServletContext()).get(Setting.SESSION_USER_ATTRIBUTE);
        sessionLogin = new SessionLogin(sessionAttribute);
        LOG.info(() -> "TokenAuthFilter '" + config.getFilterName() + "': schemes Token" + (allowBearer ? ", Bearer" : "")
                + "; challenge " + challenge.challenge() + "; session attribute " + sessionAttribute
                + "; failed tokens per address " + (throttle.enabled()
                        ? failuresPerAddress + " within " + TOKEN_FAILURE_WINDOW.toMinutes() + " minutes" : "unlimited"));
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
            outcomes.authentication(Authentication.NOT_LOGGED_IN);
            challenge.notLoggedIn(response);
            return;
        }
        // The API never serves a cross-site page, so no request riding on the session may come from another
        // site, whatever its method (GET create_token changes state too).
        if (SameOriginPolicy.isCrossSite(request)) {
            outcomes.authentication(Authentication.CROSS_SITE);
            JsonResponses.failure(response, HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused.");
            return;
        }
        Optional<Caller> caller;
        try {
            caller = sessionCaller(sessionUser.get(), request);
        } catch (StoreUnavailableException e) {
            refuseUnavailable(response);
            return;
        } catch (ActingEnded ended) {
            outcomes.authentication(Authentication.ACTING_ENDED);
            // Never silently the admin's own request: what the admin meant for that user must not happen to them.
            JsonResponses.failure(response, HttpServletResponse.SC_CONFLICT, "Acting as " + ended.user
                    + " ended: the user was disabled. Your next requests are your own.");
            return;
        }
        if (caller.isEmpty()) {
            outcomes.authentication(Authentication.NOT_LOGGED_IN);
            challenge.notLoggedIn(response);
            return;
        }
        outcomes.authentication(Authentication.SESSION);
        chain.doFilter(new AuthenticatedRequest(request, caller.get()), response);
    }

    /** The user an admin acted as was disabled meanwhile; the acting has just been ended. */
    private static final class ActingEnded extends Exception {
        private static final long serialVersionUID = 1L;
        private final String user;

        ActingEnded(String user) {
            super(null, null, false, false);
            this.user = user;
        }
    }

    /**
     * The caller a login session stands for; empty when its user was disabled or got a new password since,
     * which ends the session.
     */
    private Optional<Caller> sessionCaller(String user, HttpServletRequest request) throws ActingEnded {
        if (!accounts.allowsSession(user, sessionLogin.loggedInAt(request).orElse(null))) {
            sessionLogin.logout(request);
            return Optional.empty();
        }
        Optional<String> actingFor = sessionLogin.actingFor(request);
        if (actingFor.isEmpty()) {
            return Optional.of(Caller.bySession(user));
        }
        if (accounts.isDisabled(actingFor.get())) {
            // Disabling a user ends every way of acting as them, an admin's too; this request is refused once.
            sessionLogin.stopActing(request);
            throw new ActingEnded(actingFor.get());
        }
        return Optional.of(Caller.actingFor(actingFor.get(), user));
    }

    /** Passes the request on as the token's owner, or refuses it. */
    private void filterByToken(List<String> headers, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws IOException, ServletException {
        String address = request.getRemoteAddr();
        Optional<Duration> wait = throttle.blocked(address);
        if (wait.isPresent()) {
            outcomes.authentication(Authentication.THROTTLED);
            Throttled.answer(response, wait.get(), "Too many failed token attempts from your address; try again in "
                    + wait.get().toSeconds() + " seconds.", null);
            return;
        }
        Optional<String> presented = headers.size() == 1 ? headerParser.parse(headers.get(0)) : Optional.empty();
        if (presented.isEmpty()) {
            authenticator.refusedUnusableHeader(address);
            failed(address, response);
            return;
        }
        Optional<AuthenticatedToken> token;
        try {
            token = authenticator.authenticate(presented.get(), address);
        } catch (StoreUnavailableException e) {
            refuseUnavailable(response);
            return;
        }
        if (token.isEmpty()) {
            failed(address, response);
            return;
        }
        outcomes.authentication(Authentication.TOKEN);
        chain.doFilter(new AuthenticatedRequest(request, Caller.byToken(token.get().owner(), token.get().id(),
                token.get().scopes())),
                response);
    }

    /** Refuses a bad token, counting it against the client's address. */
    private void failed(String address, HttpServletResponse response) throws IOException {
        outcomes.authentication(Authentication.INVALID_TOKEN);
        if (throttle.failed(address)) {
            authenticator.addressThrottled(address, throttle.failures() + " failed token authentications within "
                    + TOKEN_FAILURE_WINDOW.toMinutes() + " minutes");
        }
        challenge.invalidToken(response);
    }

    /**
     * Fails closed: a request the store cannot vouch for is refused, never let through. Nothing is logged per
     * request: the store says once that the database is unavailable, and once that it is back.
     */
    private void refuseUnavailable(HttpServletResponse response) throws IOException {
        outcomes.authentication(Authentication.UNAVAILABLE);
        JsonResponses.failure(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, JsonServlet.UNAVAILABLE);
    }
}
