package dev.tokenauth.web;

import java.io.IOException;
import java.security.Principal;
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
import dev.tokenauth.metrics.Outcomes;
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

    /** The request attribute that tells the filter behind the module that this request's token was checked. */
    private static final String PASSED_ATTRIBUTE = TokenServerAuthModule.class.getName() + ".passed";

    private final TokenGate gate;
    private final Predicate<String> isAdmin;
    private CallbackHandler handler;

    /** @param gate the application's one gate, which the filter shares: one allowance, one count */
    public TokenServerAuthModule(TokenGate gate, Predicate<String> isAdmin) {
        this.gate = gate;
        this.isAdmin = isAdmin;
    }

    /** The gate's verdict on this request, when the module let it through by its token. */
    static Optional<TokenGate.Passed> passed(HttpServletRequest request) {
        return Optional.ofNullable((TokenGate.Passed) request.getAttribute(PASSED_ATTRIBUTE));
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
            if (LeakReportServlet.isLeakReport(request) && !mandatory(message)) {
                return callerIs(client, null, Set.of()); // reports of leaked tokens come from anyone (see the filter)
            }
            if (headers.isEmpty()) {
                if (!mandatory(message)) {
                    return callerIs(client, null, Set.of()); // anonymous, where nothing requires a user
                }
                gate.refusals().notLoggedIn(response);
                return AuthStatus.SEND_FAILURE;
            }
            TokenGate.Result result = gate.check(headers, request.getRemoteAddr(),
                    RotateTokenServlet.isRotation(request));
            if (result instanceof TokenGate.Passed passed) {
                Set<String> roles = new TreeSet<>(passed.token().scopes());
                if (isAdmin.test(passed.token().owner())) {
                    roles.add(ADMIN_ROLE);
                }
                request.setAttribute(PASSED_ATTRIBUTE, passed);
                return callerIs(client, passed.token().owner(), roles);
            }
            gate.refusals().refuse((TokenGate.Refused) result, response);
            return AuthStatus.SEND_FAILURE;
        } catch (StoreUnavailableException e) {
            // The owner's admin role could not be read: fail closed, as for the token itself.
            gate.outcomes().authentication(Outcomes.Authentication.UNAVAILABLE);
            try {
                gate.refusals().unavailable(response);
            } catch (IOException ignored) {
                // the client is gone
            }
            return AuthStatus.SEND_FAILURE;
        } catch (RuntimeException fault) {
            try {
                Faults.answer(request, response, fault);
            } catch (IOException ignored) {
                // the client is gone
            }
            return AuthStatus.SEND_FAILURE;
        } catch (IOException e) {
            throw (AuthException) new AuthException("cannot answer the request").initCause(e);
        }
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
