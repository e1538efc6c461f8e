package dev.tokenauth.web;

import java.io.IOException;

import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenService;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/revoke_token} with {@code {"token": "..."}} or {@code {"id": 12}}: revokes one of the caller's
 * tokens. Unknown, already revoked and other users' tokens all get the same 404.
 */
public class RevokeTokenServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public RevokeTokenServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        TokenRef ref = namedToken(JsonBody.read(request))
                .orElseThrow(() -> new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Missing field: token."));
        services().tokens().revoke(caller.actor(request), ref);
        JsonResponses.success(response, JsonFactories.object());
    }

    /** The token a body names by {@code token} or {@code id}; empty when it names none. */
    static java.util.Optional<TokenRef> namedToken(JsonObject body) throws RequestRejected {
        return namedToken(JsonBody.optionalString(body, "token"), JsonBody.optionalLong(body, "id"));
    }

    /** The token named by its plaintext or by its id; empty when neither is given. */
    static java.util.Optional<TokenRef> namedToken(String token, Long id) throws RequestRejected {
        if (token != null && id != null) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Give either token or id, not both.");
        }
        if (token != null) {
            return java.util.Optional.of(TokenService.refTo(token));
        }
        return id == null ? java.util.Optional.empty() : java.util.Optional.of(new TokenRef.ById(id));
    }
}
