package dev.tokenauth.web;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.config.Setting;
import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.metrics.Outcomes.Authentication;
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
 * Tokens are checked by the application's one {@link TokenGate} (found in the servlet context in its {@link
 * TokenGuard}), which the Jakarta Authentication module shares: one throttle, one count. The gate asks the
 * application's token store, or in remote mode a token service. A request
 * the module has already let through is not checked again. Sessions are checked against the guard's {@link
 * AccountStatus} (in remote mode, the application's own users: all enabled).
 * <p>
 * The filter takes no init-parameters: its settings ({@code tokenauth.auth.bearer}, {@code tokenauth.auth.realm},
 * {@code tokenauth.throttle.token.address}, {@code tokenauth.session.attribute}) are the application's, read once
 * by {@code TokenAuthApplication} from system properties, environment variables and context parameters (see
 * {@link Setting}), so that every entry point agrees. A {@code tokenauth.*} init-parameter stops the start, naming it.
 */
public class TokenAuthFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TokenAuthFilter.class.getName());

    private transient TokenGate gate;
    private transient AccountStatus accounts;
    private transient SessionLogin sessionLogin;
    private transient Outcomes outcomes;
    private transient TokenRefusals refusals;

    public TokenAuthFilter() {
    }

    /** For use without the application's services, e.g. when registered programmatically. */
    public TokenAuthFilter(TokenGate gate, AccountStatus accounts, SessionLogin sessionLogin) {
        this.gate = gate;
        this.accounts = accounts;
        this.sessionLogin = sessionLogin;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        List<String> own = Collections.list(config.getInitParameterNames()).stream()
                .filter(name -> name.startsWith("tokenauth.")).sorted().toList();
        if (!own.isEmpty()) {
            throw new ServletException("TokenAuthFilter '" + config.getFilterName() + "' takes no init-parameters ("
                    + String.join(", ", own) + "): tokenauth settings are the application's, so that every entry "
                    + "point agrees; set them as context parameters, system properties or environment variables");
        }
        if (gate == null) {
            TokenGuard guard = TokenGuard.from(config.getServletContext());
            gate = guard.gate();
            accounts = guard.accounts();
            // The one login, logout and act-as write to: the application's, made from its configuration.
            sessionLogin = guard.sessionLogin();
        }
        outcomes = gate.outcomes();
        refusals = gate.refusals();
        LOG.info(() -> "TokenAuthFilter '" + config.getFilterName() + "': " + gate.describe() + "; session attribute "
                + sessionLogin.attribute());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Whatever the outcome, these answers are about one caller's credentials: never cache them.
        response.setHeader("Cache-Control", "no-store");

        if (LeakReportServlet.isLeakReport(request)) {
            // Reports of leaked tokens come from anyone, with no credential of their own: the endpoint throttles them.
            chain.doFilter(request, response);
            return;
        }
        Optional<TokenGate.Passed> byContainer = TokenServerAuthModule.passed(request);
        if (byContainer.isPresent()) {
            // The container's module already checked this very request's token, through the same gate.
            chain.doFilter(new AuthenticatedRequest(request, byContainer.get().caller()), response);
            return;
        }
        List<String> authorization = Collections.list(request.getHeaders("Authorization"));
        if (!authorization.isEmpty()) {
            TokenGate.Result result;
            try {
                result = gate.check(authorization, request.getRemoteAddr(), RotateTokenServlet.isRotation(request));
            } catch (RuntimeException fault) {
                // A fault of the program: one log line and a JSON 500, not the container's stack trace and page.
                Faults.answer(request, response, fault);
                return;
            }
            if (result instanceof TokenGate.Passed passed) {
                chain.doFilter(new AuthenticatedRequest(request, passed.caller()), response);
            } else {
                refusals.refuse((TokenGate.Refused) result, response);
            }
            return;
        }

        Optional<String> sessionUser = sessionLogin.user(request);
        if (sessionUser.isEmpty()) {
            outcomes.authentication(Authentication.NOT_LOGGED_IN);
            refusals.notLoggedIn(response);
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
            outcomes.authentication(Authentication.UNAVAILABLE);
            refusals.unavailable(response);
            return;
        } catch (RuntimeException fault) {
            Faults.answer(request, response, fault);
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
            refusals.notLoggedIn(response);
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
}
