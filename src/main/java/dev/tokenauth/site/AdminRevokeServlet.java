package dev.tokenauth.site;

import java.io.IOException;
import java.util.Set;

import dev.tokenauth.web.Caller;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/admin/tokens/revoke} (admins only), JSON {@code {"id": ..., "reason": "..."}}: revokes any
 * user's active token from the credentials inventory. The audit trail names the admin as the one acting, and the
 * owner reads who revoked it and why in {@code GET /api/tokens}.
 */
public class AdminRevokeServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> FIELDS = Set.of("id", "reason");

    public AdminRevokeServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller admin = admin(request);
        RequestFields fields = RequestFields.read(request, RequestFields.From.JSON_BODY, FIELDS);
        Long id = fields.number("id");
        if (id == null) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Field 'id' is required.");
        }
        services().tokens().revokeAsAdmin(admin.actingUser(), request.getRemoteAddr(), id, fields.string("reason"));
        JsonResponses.success(response, JsonFactories.object().add("id", id));
    }
}
