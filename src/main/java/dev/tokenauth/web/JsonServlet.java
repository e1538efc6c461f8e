package dev.tokenauth.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.token.Scopes;
import dev.tokenauth.token.TokenRuleViolation;
import dev.tokenauth.token.ViolationKind;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Base of the API servlets: refuses other methods with 405 JSON, a token without the scope the request needs with
 * 403 JSON, turns {@link RequestRejected} into its JSON answer, a store failure into 503 and a fault of the program
 * into 500 ({@link Faults}), so each servlet only parses, calls a service and writes its result. A servlet that
 * serves GET answers HEAD too, as the GET without its body (the servlet sees a GET), and a HEAD is a read for the
 * scopes.
 */
public abstract class JsonServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    public static final String UNAVAILABLE = "Service unavailable, try again later.";

    private final Set<String> methods;
    private final String allow;
    private transient AppServices services;

    /** A servlet that serves {@code methods}, and HEAD too where they hold GET. */
    protected JsonServlet(String... methods) {
        this(true, methods);
    }

    /**
     * A servlet that serves {@code methods}, and HEAD where they hold GET if {@code headAsGet}: false for an endpoint
     * whose GET changes state, since a HEAD would make the change and throw its answer away.
     */
    protected JsonServlet(boolean headAsGet, String... methods) {
        List<String> served = new ArrayList<>(List.of(methods));
        if (headAsGet && served.contains("GET") && !served.contains("HEAD")) {
            served.add(served.indexOf("GET") + 1, "HEAD");
        }
        this.methods = Set.copyOf(served);
        this.allow = String.join(", ", served);
    }

    @Override
    public void init() throws ServletException {
        services = AppServices.from(getServletContext());
    }

    protected AppServices services() {
        return services;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!"HEAD".equals(request.getMethod())) {
            answer(request, request, response);
            return;
        }
        HeadResponse head = new HeadResponse(response);
        answer(request, new AsGet(request), head);
        head.finish();
    }

    /** Answers {@code request}, which the servlet's own work sees as {@code asked}. */
    private void answer(HttpServletRequest request, HttpServletRequest asked, HttpServletResponse response)
            throws ServletException, IOException {
        if (!methods.contains(request.getMethod())) {
            response.setHeader("Allow", allow);
            JsonResponses.failure(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    "Method " + request.getMethod() + " not allowed; use " + allow + ".");
            return;
        }
        try {
            requireScope(request);
            handle(asked, response);
        } catch (RequestRejected rejected) {
            JsonResponses.failure(response, rejected.status(), rejected.getMessage());
        } catch (TokenRuleViolation violation) {
            if (violation.kind() == ViolationKind.INVALID_TOKEN) {
                // The gate's own answer, challenge and all: the same as for any token that does not work.
                services().gate().refusals().invalidToken(response);
                return;
            }
            JsonResponses.failure(response, statusOf(violation.kind()), violation.getMessage());
        } catch (UserAdministration.Refused refused) {
            JsonResponses.failure(response, statusOf(refused.kind()), refused.getMessage());
        } catch (StoreUnavailableException e) {
            // No log line per request: the store says once that the database is unavailable, and once it is back.
            JsonResponses.failure(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, UNAVAILABLE);
        } catch (RuntimeException e) {
            if (Faults.isContainersRefusal(e)) {
                throw e;
            }
            // Answered here, not by the container, which would log it with its stack trace and the error page again.
            Faults.answer(request, response, e);
        }
    }

    /** A HEAD as the servlet's work sees it: the GET it is answered as. */
    private static final class AsGet extends HttpServletRequestWrapper {
        AsGet(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getMethod() {
            return "GET";
        }
    }

    /**
     * Refuses a token that lacks the scope this request needs: {@value Scopes#WRITE} when it changes state,
     * {@value Scopes#READ} otherwise. A request without a caller is left to the servlet.
     */
    private void requireScope(HttpServletRequest request) throws RequestRejected {
        Optional<Caller> caller = Caller.of(request);
        if (caller.isPresent()) {
            caller.get().requireScope(requiredScope(request));
        }
    }

    /** The scope this request needs: {@value Scopes#WRITE} when it changes state, else {@value Scopes#READ}. */
    protected String requiredScope(HttpServletRequest request) {
        return changesState(request) ? Scopes.WRITE : Scopes.READ;
    }

    /**
     * Whether the request changes state, and so needs {@value Scopes#WRITE}: any method but GET and HEAD. An
     * endpoint that changes state on GET too says so here.
     */
    protected boolean changesState(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
    }

    /** Handles a request whose method is one of those given to the constructor. */
    protected abstract void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException, RequestRejected;

    static int statusOf(ViolationKind kind) {
        return switch (kind) {
            case INVALID -> HttpServletResponse.SC_BAD_REQUEST;
            case NOT_FOUND -> HttpServletResponse.SC_NOT_FOUND;
            case LIMIT_REACHED, CONFLICT -> HttpServletResponse.SC_CONFLICT;
            case FORBIDDEN -> HttpServletResponse.SC_FORBIDDEN;
            case INVALID_TOKEN -> HttpServletResponse.SC_UNAUTHORIZED;
        };
    }

    /**
     * The authenticated caller, who must be an admin: by themselves, not by the user they act as, so that an
     * admin acting for a user keeps the admin's own rights and a user never gains them.
     */
    protected Caller admin(HttpServletRequest request) throws RequestRejected {
        Caller caller = caller(request);
        if (!services().users().isAdmin(caller.actingUser())) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, "Admin only.");
        }
        return caller;
    }

    /** The authenticated caller; {@link TokenAuthFilter} must guard the servlet's path. */
    protected static Caller caller(HttpServletRequest request) throws RequestRejected {
        return Caller.of(request).orElseThrow(
                () -> new RequestRejected(HttpServletResponse.SC_UNAUTHORIZED, TokenRefusals.NOT_LOGGED_IN));
    }
}
