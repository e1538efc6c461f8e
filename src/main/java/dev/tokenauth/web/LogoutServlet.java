package dev.tokenauth.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code POST /logout}: ends the login session and answers 303 to the login form. */
public class LogoutServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public LogoutServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        if (SameOriginPolicy.isCrossSite(request)) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused.");
        }
        services().sessionLogin().logout(request);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/login");
    }
}
