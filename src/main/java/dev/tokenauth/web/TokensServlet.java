package dev.tokenauth.web;

import java.util.Set;
import java.io.IOException;
import java.time.Instant;

import dev.tokenauth.token.TokenInfo;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/tokens}: the caller's active tokens, by id and display prefix (never a secret or digest), and their
 * latest revoked ones not yet purged, with who revoked them and why when it was not the caller.
 */
public class TokensServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    /** How many revoked tokens are listed at most, the latest first: enough to learn of the last revocations. */
    static final int REVOKED_SHOWN = 20;

    public TokensServlet() {
        super("GET");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        RequestFields.read(request, RequestFields.From.QUERY, Set.of());
        String owner = caller(request).username();
        Instant now = services().tokens().now();
        JsonArrayBuilder tokens = JsonFactories.array();
        for (TokenInfo t : services().tokens().list(owner)) {
            tokens.add(TokenJson.describe(t, now));
        }
        JsonArrayBuilder revoked = JsonFactories.array();
        for (TokenInfo t : services().tokens().listRevoked(owner, REVOKED_SHOWN)) {
            revoked.add(TokenJson.revoked(t));
        }
        JsonResponses.success(response, JsonFactories.object().add("tokens", tokens).add("revoked", revoked));
    }
}
