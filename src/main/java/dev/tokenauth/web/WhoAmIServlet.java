package dev.tokenauth.web;

import java.util.Set;
import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/whoami}: the caller's name. The smallest guarded endpoint, for checks and benchmarks. */
public class WhoAmIServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public WhoAmIServlet() {
        super("GET");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        RequestFields.read(request, RequestFields.From.QUERY, Set.of());
        JsonResponses.success(response, JsonFactories.object().add("user", request.getRemoteUser()));
    }
}
