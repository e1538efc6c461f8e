package dev.tokenauth.site;

import dev.tokenauth.web.Caller;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;
import dev.tokenauth.web.SessionLogin;

import java.util.Set;
import java.io.IOException;
import java.util.Optional;

import dev.tokenauth.token.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An admin's login session acting as another user: {@code POST /api/act_as} with {@code {"username": ...}}
 * starts (or switches to another user), {@code POST /api/act_as/stop} ends it. Meanwhile the session's requests
 * see and change that user's tokens, and the audit trail names the admin as the acting user. Only a login
 * session can act as someone: a token always stands for its own owner.
 */
public class ActAsServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public ActAsServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = admin(request);
        if (caller.viaToken()) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Acting as a user needs a login session.");
        }
        String admin = caller.actingUser();
        Actor adminActor = caller.acting(request);
        SessionLogin sessions = services().sessionLogin();
        Optional<String> current = caller.actingForAnother() ? Optional.of(caller.username()) : Optional.empty();
        if ("/api/act_as/stop".equals(request.getServletPath())) {
            RequestFields.read(request, RequestFields.From.JSON_BODY, Set.of());
            if (current.isEmpty()) {
                throw new RequestRejected(HttpServletResponse.SC_CONFLICT, "Not acting as anyone.");
            }
            // Recorded first, as a start is: an act-as change that could not be recorded does not happen.
            services().administration().stopActingAs(adminActor, current.get());
            sessions.stopActing(request);
            JsonResponses.success(response, JsonFactories.object().add("user", admin));
            return;
        }
        RequestFields fields = RequestFields.read(request, RequestFields.From.JSON_BODY, Set.of("username"));
        String target = services().administration().startActingAs(adminActor, fields.requiredString("username"));
        if (current.isPresent() && !current.get().equals(target)) {
            services().administration().stopActingAs(adminActor, current.get());
        }
        sessions.startActingAs(request, target);
        JsonResponses.success(response, JsonFactories.object().add("user", target).add("acting_user", admin));
    }
}
