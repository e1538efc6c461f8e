package dev.tokenauth.web;

import java.util.Set;
import java.io.IOException;

import dev.tokenauth.token.IssuedToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET|POST /api/create_token}: a new token for the caller, shown this once. Optional {@code expires_in}
 * (seconds) and {@code label}, as query/form parameters or a JSON body.
 */
public class CreateTokenServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> FIELDS = Set.of("expires_in", "label");

    public CreateTokenServlet() {
        super("GET", "POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        RequestFields fields = RequestFields.read(request, RequestFields.From.QUERY_OR_BODY, FIELDS);
        IssuedToken issued = services().tokens().issue(caller.actor(request), fields.seconds("expires_in"),
                fields.string("label"));
        JsonResponses.success(response, TokenJson.issued(issued));
    }
}
