package dev.tokenauth.site;

import dev.tokenauth.user.Usernames;
import dev.tokenauth.web.Caller;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;

import java.util.Set;
import java.io.IOException;

import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.token.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An admin's changes to one user, each a {@code POST} with {@code {"username": ...}}:
 * {@code /api/users/disable} (also revokes all the user's tokens; answers {@code revoked_tokens}),
 * {@code /api/users/enable}, and {@code /api/users/password} (with {@code "password"}).
 */
public class UserAccountServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public UserAccountServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = admin(request);
        Actor admin = caller.acting(request);
        boolean password = "/api/users/password".equals(request.getServletPath());
        RequestFields fields = RequestFields.read(request, RequestFields.From.JSON_BODY,
                password ? Set.of("username", "password") : Set.of("username"));
        String username = Usernames.canonical(fields.requiredString("username"));
        UserAdministration administration = services().administration();
        switch (request.getServletPath()) {
            case "/api/users/disable" -> {
                int revoked = administration.disable(admin, username);
                JsonResponses.success(response, JsonFactories.object().add("revoked_tokens", revoked));
            }
            case "/api/users/enable" -> {
                administration.enable(admin, username);
                JsonResponses.success(response, JsonFactories.object());
            }
            case "/api/users/password" -> {
                administration.resetPassword(admin, username, fields.requiredString("password"));
                if (username.equals(admin.user()) && !caller.viaToken()) {
                    // The admin's own new password ends their other sessions, not the one that set it.
                    services().sessionLogin().renewLogin(request);
                }
                JsonResponses.success(response, JsonFactories.object());
            }
            default -> throw new RequestRejected(HttpServletResponse.SC_NOT_FOUND, "Not found.");
        }
    }
}
