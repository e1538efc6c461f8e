package dev.tokenauth.site;

import dev.tokenauth.web.Caller;
import dev.tokenauth.web.CsrfTokens;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;

import java.util.Set;
import java.io.IOException;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/session}: what the pages need to know about their caller: the user they are for, the admin
 * acting for them if any, whether the person there is an admin, and, for a login session, the CSRF token that
 * its state-changing calls must send.
 */
public class SessionServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public SessionServlet() {
        super("GET");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        RequestFields.read(request, RequestFields.From.QUERY, Set.of());
        Caller caller = caller(request);
        JsonObjectBuilder body = JsonFactories.object()
                .add("user", caller.username())
                .add("acting_user", caller.actingForAnother() ? JsonFactories.string(caller.actingUser()) : JsonValue.NULL)
                .add("admin", services().users().isAdmin(caller.actingUser()))
                .add("via", caller.viaToken() ? "token" : "session");
        if (!caller.viaToken()) {
            body.add("csrf_token", CsrfTokens.of(request.getSession(true)));
        }
        JsonResponses.success(response, body);
    }
}
