package dev.tokenauth.web;

import java.io.IOException;

import dev.tokenauth.user.UserService;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code POST /api/users} (admins only): creates a user of the application's own login. */
public class UsersServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public UsersServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        UserService users = services().users();
        if (!users.isAdmin(caller(request).username())) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, "Admin only.");
        }
        JsonObject body = JsonBody.read(request);
        String username = JsonBody.requiredString(body, "username");
        String password = JsonBody.requiredString(body, "password");
        boolean admin = JsonBody.optionalBoolean(body, "admin", false);
        String problem = UserService.problemWith(username, password).orElse(null);
        if (problem != null) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, problem);
        }
        if (users.create(username, password, admin) == UserService.Creation.NAME_TAKEN) {
            throw new RequestRejected(HttpServletResponse.SC_CONFLICT, "Username already taken.");
        }
        JsonResponses.write(response, HttpServletResponse.SC_CREATED, Json.createObjectBuilder().add("success", true).build());
    }
}
