package dev.tokenauth.web;

import java.io.IOException;

import dev.tokenauth.admin.UserAdministration;
import jakarta.json.JsonObject;
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
        String admin = caller.actingUser();
        JsonObject body = JsonBody.read(request);
        String username = JsonBody.requiredString(body, "username");
        String from = request.getRemoteAddr();
        UserAdministration administration = services().administration();
        switch (request.getServletPath()) {
            case "/api/users/disable" -> {
                int revoked = administration.disable(admin, from, username);
                JsonResponses.success(response, JsonFactories.object().add("revoked_tokens", revoked));
            }
            case "/api/users/enable" -> {
                administration.enable(admin, from, username);
                JsonResponses.success(response, JsonFactories.object());
            }
            case "/api/users/password" -> {
                administration.resetPassword(admin, from, username, JsonBody.requiredString(body, "password"));
                if (username.equals(admin) && !caller.viaToken()) {
                    // The admin's own new password ends their other sessions, not the one that set it.
                    services().sessionLogin().renewLogin(request);
                }
                JsonResponses.success(response, JsonFactories.object());
            }
            default -> throw new RequestRejected(HttpServletResponse.SC_NOT_FOUND, "Not found.");
        }
    }
}
