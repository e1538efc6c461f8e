package dev.tokenauth.site;

import dev.tokenauth.web.Caller;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;
import dev.tokenauth.web.TokenJson;

import java.util.Set;
import java.io.IOException;

import dev.tokenauth.user.User;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/users} (admins only): GET lists the users of the application's own login (never a password
 * hash); POST {@code {"username", "password", "admin"}} creates one.
 */
public class UsersServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> NEW_USER_FIELDS = Set.of("username", "password", "admin");

    public UsersServlet() {
        super("GET", "POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller admin = admin(request);
        if ("GET".equals(request.getMethod())) {
            RequestFields.read(request, RequestFields.From.QUERY, Set.of());
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
        RequestFields fields = RequestFields.read(request, RequestFields.From.JSON_BODY, NEW_USER_FIELDS);
        String username = fields.requiredString("username");
        String password = fields.requiredString("password");
        boolean asAdmin = fields.flag("admin", false);
        services().administration().create(admin.acting(request), username, password, asAdmin);
        JsonResponses.write(response, HttpServletResponse.SC_CREATED,
                JsonFactories.object().add("success", true).build());
    }
}
