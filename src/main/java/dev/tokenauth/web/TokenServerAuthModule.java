package dev.tokenauth.web;

import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.throttle.FailureThrottle;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;
import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Token authentication in the container itself (Jakarta Authentication), for an application that protects its
 * resources with the container's security: its {@code <security-constraint>}s, {@code isUserInRole} and
 * {@code getUserPrincipal} see the token's owner, whose roles are the token's scopes, plus {@code admin} for an
 * admin. The answers are the filter's: a request without a token where the constraints require a user is
 * {@code 401 Not logged in.}, every unusable or bad token {@code 401 Invalid token.}, both with
 * {@code WWW-Authenticate}; where nothing requires a user, a request without a token goes on as anonymous.
 * Registered by {@code TokenAuthApplication} when {@code tokenauth.container.security} is true.
 */
public final class TokenServerAuthModule implements ServerAuthModule {

    /** The role an admin's token has besides its scopes. */
    public static final String ADMIN_ROLE = "admin";

    private final TokenAuthenticator tokens;
    private final Predicate<String> isAdmin;
    private final FailureThrottle throttle;
    private final AuthorizationHeaderParser headerParser;
    private final AuthChallenge challenge;
    private CallbackHandler handler;

    /**
     * @param throttle failed tokens per client address, as the filter counts them ({@code
     *                 tokenauth.throttle.token.address}): a guesser gains nothing by trying at a constrained resource
     */
    public TokenServerAuthModule(TokenAuthenticator tokens, Predicate<String> isAdmin, FailureThrottle throttle,
            String realm, boolean allowBearer) {
        this.tokens = tokens;
        this.isAdmin = isAdmin;
        this.throttle = throttle;
        this.headerParser = new AuthorizationHeaderParser(allowBearer);
        this.challenge = new AuthChallenge(realm);
    }

    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
            @SuppressWarnings("rawtypes") Map options) {
        this.handler = handler;
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return new Class<?>[] {HttpServletRequest.class, HttpServletResponse.class};
    }

    @Override
    public AuthStatus validateRequest(MessageInfo message, Subject client, Subject service) throws AuthException {
        HttpServletRequest request = (HttpServletRequest) message.getRequestMessage();
        HttpServletResponse response = (HttpServletResponse) message.getResponseMessage();
        List<String> headers = Collections.list(request.getHeaders("Authorization"));
        try {
            if (headers.isEmpty()) {
                if (!mandatory(message)) {
                    return callerIs(client, null, Set.of()); // anonymous, where nothing requires a user
                }
                noStore(response);
                challenge.notLoggedIn(response);
                return AuthStatus.SEND_FAILURE;
            }
            String address = request.getRemoteAddr();
            Optional<Duration> wait = throttle.blocked(address);
            if (wait.isPresent()) {
                noStore(response);
                Throttled.answer(response, wait.get(), "Too many failed token attempts from your address; try again in "
                        + wait.get().toSeconds() + " seconds.", null);
                return AuthStatus.SEND_FAILURE;
            }
            Optional<String> presented = headers.size() == 1 ? headerParser.parse(headers.get(0)) : Optional.empty();
            Optional<AuthenticatedToken> token;
            if (presented.isEmpty()) {
                tokens.refusedUnusableHeader(address);
                token = Optional.empty();
            } else {
                token = tokens.authenticate(presented.get(), address);
            }
            if (token.isEmpty()) {
                if (throttle.failed(address)) {
                    tokens.addressThrottled(address, throttle.failures() + " failed token authentications within "
                            + TokenAuthFilter.TOKEN_FAILURE_WINDOW.toMinutes() + " minutes");
                }
                noStore(response);
                challenge.invalidToken(response);
                return AuthStatus.SEND_FAILURE;
            }
            Set<String> roles = new TreeSet<>(token.get().scopes());
            if (isAdmin.test(token.get().owner())) {
                roles.add(ADMIN_ROLE);
            }
            return callerIs(client, token.get().owner(), roles);
        } catch (StoreUnavailableException e) {
            try {
                noStore(response);
                JsonResponses.failure(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, JsonServlet.UNAVAILABLE);
            } catch (IOException ignored) {
                // the client is gone
            }
            return AuthStatus.SEND_FAILURE;
        } catch (IOException e) {
            throw (AuthException) new AuthException("cannot answer the request").initCause(e);
        }
    }

    /** As the filter's refusals: never kept by a cache (the container's default for a protected page is private). */
    private static void noStore(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
    }

    private static boolean mandatory(MessageInfo message) {
        Object value = message.getMap().get("jakarta.security.auth.message.MessagePolicy.isMandatory");
        return value != null && Boolean.parseBoolean(value.toString());
    }

    private AuthStatus callerIs(Subject client, String user, Set<String> roles) throws AuthException {
        Callback[] callbacks = user == null
                ? new Callback[] {new CallerPrincipalCallback(client, (Principal) null)}
                : new Callback[] {new CallerPrincipalCallback(client, user),
                        new GroupPrincipalCallback(client, roles.toArray(String[]::new))};
        try {
            handler.handle(callbacks);
        } catch (IOException | UnsupportedCallbackException e) {
            throw (AuthException) new AuthException("the container refused the caller").initCause(e);
        }
        return AuthStatus.SUCCESS;
    }

    @Override
    public AuthStatus secureResponse(MessageInfo message, Subject service) {
        return AuthStatus.SEND_SUCCESS;
    }

    @Override
    public void cleanSubject(MessageInfo message, Subject subject) {
        if (subject != null) {
            subject.getPrincipals().clear();
        }
    }
}
