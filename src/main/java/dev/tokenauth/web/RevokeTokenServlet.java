package dev.tokenauth.web;

import java.util.Set;
import java.io.IOException;

import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/revoke_token} with {@code {"token": "..."}} or {@code {"id": 12}}: revokes one of the caller's
 * tokens. Unknown, already revoked and other users' tokens all get the same 404.
 */
public class RevokeTokenServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> FIELDS = Set.of("token", "id");

    public RevokeTokenServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        TokenRef ref = namedToken(RequestFields.read(request, RequestFields.From.JSON_BODY, FIELDS))
                .orElseThrow(() -> new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Missing field: token."));
        services().tokens().revoke(caller.actor(request), ref);
        JsonResponses.success(response, JsonFactories.object());
    }

    /** The token the fields name by {@code token} or {@code id}; empty when they name none. */
    static java.util.Optional<TokenRef> namedToken(RequestFields fields) throws RequestRejected {
        return namedToken(fields.string("token"), fields.number("id"));
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
