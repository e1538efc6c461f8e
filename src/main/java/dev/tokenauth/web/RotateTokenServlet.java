package dev.tokenauth.web;

import java.util.Set;
import java.io.IOException;

import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/rotate_token}: creates the successor of a token and ends the old one after a grace period,
 * in one transaction. The token rotated is the one named by {@code {"token": ...}} or {@code {"id": ...}}, or
 * else the token that authenticated the request. Optional: {@code grace_seconds}, {@code expires_in},
 * {@code label} (the old label is kept otherwise), {@code scopes} (a JSON array, or a repeated form field; the old
 * token's are kept otherwise).
 */
public class RotateTokenServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> FIELDS = Set.of("token", "id", "grace_seconds", "expires_in", "label", "scopes");
    private static final Set<String> LISTS = Set.of("scopes");

    public RotateTokenServlet() {
        super("POST");
    }

    /**
     * Whether {@code request} is a rotation (a POST to this endpoint's path, {@code <api>/rotate_token}), which the
     * token check must know before this servlet runs: a replaced token presented there is a detected reuse.
     */
    static boolean isRotation(HttpServletRequest request) {
        String path = request.getServletPath();
        return "POST".equals(request.getMethod()) && path != null && request.getPathInfo() == null
                && path.endsWith("/" + ENDPOINT);
    }

    /** The name under the API's path that this endpoint is mapped to. */
    static final String ENDPOINT = "rotate_token";

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        RequestFields fields = RequestFields.read(request, RequestFields.From.BODY, FIELDS, LISTS);
        TokenRef ref = RevokeTokenServlet.namedToken(fields).orElse(null);
        if (ref == null && caller.viaToken()) {
            ref = new TokenRef.ById(caller.tokenId());
        }
        if (ref == null) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST,
                    "Name the token to rotate with token or id, or authenticate with it.");
        }
        IntrospectServlet.requireAdminToGive(fields.strings("scopes"), caller, services());
        TokenService.Rotated rotated = services().tokens().rotate(caller.actor(request), ref,
                fields.seconds("grace_seconds"), fields.seconds("expires_in"), fields.string("label"),
                fields.strings("scopes"));
        JsonResponses.success(response, TokenJson.issued(rotated.successor())
                .add("old_id", rotated.old().id())
                .add("old_expires_at", TokenJson.time(rotated.old().expiresAt())));
    }
}
