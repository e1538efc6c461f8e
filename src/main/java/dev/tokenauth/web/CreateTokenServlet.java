package dev.tokenauth.web;

import java.io.IOException;

import dev.tokenauth.token.IssuedToken;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET|POST /api/create_token}: a new token for the caller, shown this once. */
public class CreateTokenServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public CreateTokenServlet() {
        super("GET", "POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        IssuedToken issued = services().tokens().issue(caller.username(), caller.tokenId());
        JsonResponses.success(response, Json.createObjectBuilder().add("token", issued.plaintext()));
    }
}
