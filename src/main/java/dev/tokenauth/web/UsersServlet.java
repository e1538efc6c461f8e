package dev.tokenauth.web;

import java.io.IOException;

import dev.tokenauth.user.User;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/users} (admins only): GET lists the users of the application's own login (never a password
 * hash); POST {@code {"username", "password", "admin"}} creates one.
 */
public class UsersServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public UsersServlet() {
        super("GET", "POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller admin = admin(request);
        if ("GET".equals(request.getMethod())) {
            JsonArrayBuilder users = JsonFactories.array();
            for (User u : services().administration().list()) {
                users.add(JsonFactories.object()
                        .add("username", u.username())
                        .add("admin", u.admin())
                        .add("disabled", u.disabled())
                        .add("created_at", TokenJson.time(u.createdAt())));
            }
            JsonResponses.success(response, JsonFactories.object().add("users", users));
            return;
        }
        JsonObject body = JsonBody.read(request);
        String username = JsonBody.requiredString(body, "username");
        String password = JsonBody.requiredString(body, "password");
        boolean asAdmin = JsonBody.optionalBoolean(body, "admin", false);
        services().administration().create(admin.actingUser(), request.getRemoteAddr(), username, password, asAdmin);
        JsonResponses.write(response, HttpServletResponse.SC_CREATED,
                JsonFactories.object().add("success", true).build());
    }
}
