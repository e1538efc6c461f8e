package dev.tokenauth.web;

import java.util.Set;
import java.io.IOException;

import dev.tokenauth.token.IssuedToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET|POST /api/create_token}: a new token for the caller, shown this once. Optional {@code expires_in}
 * (seconds), {@code label} and {@code scopes} (a JSON array, or a repeated parameter), as query/form parameters or a
 * JSON body. It changes state on GET too, so a token needs {@code write} either way, and a browser's session GET
 * that says nothing of where it comes from is refused ({@link SameOriginPolicy#isBrowserRequestOfUnknownOrigin}).
 */
public class CreateTokenServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> FIELDS = Set.of("expires_in", "label", "scopes");
    private static final Set<String> LISTS = Set.of("scopes");
    static final String BROWSER_GET_OF_UNKNOWN_ORIGIN =
            "Cross-site request refused: create tokens with POST and the CSRF token.";

    /** No HEAD: it would create a token and drop the only answer that shows it. */
    public CreateTokenServlet() {
        super(false, "GET", "POST");
    }

    /** A GET creates a token too. */
    @Override
    protected boolean changesState(HttpServletRequest request) {
        return true;
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = caller(request);
        if (!caller.viaToken() && "GET".equals(request.getMethod())
                && SameOriginPolicy.isBrowserRequestOfUnknownOrigin(request)) {
            // A GET carries no CSRF token, and an old browser tells nothing of the site that sent it here.
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, BROWSER_GET_OF_UNKNOWN_ORIGIN);
        }
        RequestFields fields = RequestFields.read(request, RequestFields.From.QUERY_OR_BODY, FIELDS, LISTS);
        IntrospectServlet.requireAdminToGive(fields.strings("scopes"), caller, services());
        IssuedToken issued = services().tokens().issue(caller.actor(request), fields.seconds("expires_in"),
                fields.string("label"), fields.strings("scopes"));
        JsonResponses.success(response, TokenJson.issued(issued));
    }
}
