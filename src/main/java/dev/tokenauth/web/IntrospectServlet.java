package dev.tokenauth.web;

import java.io.IOException;
import java.util.Collection;
import java.util.Set;

import dev.tokenauth.token.Scopes;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/introspect}, RFC 7662: another service asks whether a token is active. The body is a form
 * ({@code token=...}, as the RFC says; {@code token_type_hint} is read and ignored) or JSON ({@code {"token": "..."}}).
 * The caller authenticates with a token of the scope {@value Scopes#INTROSPECT}, which no token has unless an admin
 * asked for it; a login session cannot introspect. An active token is answered {@code {"active": true, "scope":
 * "read write", "username": ..., "exp": ..., "iat": ..., "token_type": "Token", "jti": "<id>"}} (no {@code exp}
 * for a token that never expires), anything else {@code {"active": false}} and nothing more, whatever the reason.
 */
public class IntrospectServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> FIELDS = Set.of("token", "token_type_hint");
    static final String SESSION_REFUSED = "Introspection needs a token with the scope '" + Scopes.INTROSPECT
            + "', not a login session.";
    static final String ADMIN_ONLY = "Only an admin can give the scope '" + Scopes.INTROSPECT + "'.";

    public IntrospectServlet() {
        super("POST");
    }

    @Override
    protected String requiredScope(HttpServletRequest request) {
        return Scopes.INTROSPECT;
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        if (!caller.viaToken()) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, SESSION_REFUSED);
        }
        String token = RequestFields.read(request, RequestFields.From.BODY, FIELDS).requiredString("token");
        JsonObjectBuilder answer = JsonFactories.object();
        services().tokens().introspect(token, request.getRemoteAddr()).ifPresentOrElse(active -> {
            answer.add("active", true)
                    .add("scope", Scopes.stored(active.scopes()))
                    .add("username", active.owner());
            if (active.expiresAt() != null) {
                answer.add("exp", active.expiresAt().getEpochSecond());
            }
            if (active.issuedAt() != null) {
                answer.add("iat", active.issuedAt().getEpochSecond());
            }
            answer.add("token_type", "Token").add("jti", Long.toString(active.id()));
        }, () -> answer.add("active", false));
        JsonResponses.write(response, HttpServletResponse.SC_OK, answer.build());
    }

    /**
     * Refuses a request that asks for {@value Scopes#INTROSPECT} unless an admin makes it (by login session or
     * acting for another): a user may not give their own tokens the power to look at everyone's.
     */
    static void requireAdminToGive(Collection<String> scopes, Caller caller, AppServices services)
            throws RequestRejected {
        if (scopes != null && scopes.contains(Scopes.INTROSPECT) && !services.users().isAdmin(caller.actingUser())) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, ADMIN_ONLY);
        }
    }
}
