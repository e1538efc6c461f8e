package dev.tokenauth.web;

import java.util.Set;
import java.io.IOException;

import dev.tokenauth.token.TokenInfo;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/tokens}: the caller's active tokens, by id and display prefix; never a secret or digest. */
public class TokensServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public TokensServlet() {
        super("GET");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        RequestFields.read(request, RequestFields.From.QUERY, Set.of());
        JsonArrayBuilder tokens = JsonFactories.array();
        for (TokenInfo t : services().tokens().list(caller(request).username())) {
            tokens.add(TokenJson.describe(t));
        }
        JsonResponses.success(response, JsonFactories.object().add("tokens", tokens));
    }
}
