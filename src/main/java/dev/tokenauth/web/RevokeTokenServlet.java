package dev.tokenauth.web;

import java.io.IOException;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/revoke_token} with {@code {"token": "..."}}: revokes one of the caller's tokens. Unknown,
 * already revoked and other users' tokens all get the same 404.
 */
public class RevokeTokenServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    static final String NOT_FOUND = "Token not found.";

    public RevokeTokenServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        String token = JsonBody.requiredString(JsonBody.read(request), "token");
        if (!services().tokens().revoke(caller.username(), token)) {
            throw new RequestRejected(HttpServletResponse.SC_NOT_FOUND, NOT_FOUND);
        }
        JsonResponses.success(response, Json.createObjectBuilder());
    }
}
