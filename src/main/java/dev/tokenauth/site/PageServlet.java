package dev.tokenauth.site;

import dev.tokenauth.web.AppServices;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.StoreUnavailableException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves a page of the browser interface to logged-in users: others are sent to {@code /login}; with the
 * init-parameter {@code admin} set to true, a logged-in user who is not an admin gets 403. The page itself is
 * static HTML whose script talks to the JSON API.
 * <p>
 * Init-parameters: {@code page} (a file under {@value HtmlPages#DIRECTORY}), {@code admin} (default false).
 */
public class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private String page;
    private boolean adminOnly;
    private transient AppServices services;

    @Override
    public void init() throws ServletException {
        page = getInitParameter("page");
        if (page == null || page.isBlank()) {
            throw new ServletException("PageServlet '" + getServletName() + "' needs the init-parameter page");
        }
        adminOnly = Boolean.parseBoolean(getInitParameter("admin"));
        services = AppServices.from(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> user = services.sessionLogin().user(request);
        try {
            if (user.isEmpty() || !services.users().allowsSession(user.get(),
                    services.sessionLogin().loggedInAt(request).orElse(null))) {
                response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                response.setHeader("Location", request.getContextPath() + "/login");
                return;
            }
            if (adminOnly && !services.users().isAdmin(user.get())) {
                HtmlPages.write(getServletContext(), response, HttpServletResponse.SC_FORBIDDEN, "forbidden.html",
                        Map.of());
                return;
            }
        } catch (StoreUnavailableException e) {
            // No line per request: the store says once that the database is unavailable, and once that it is back.
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        HtmlPages.write(getServletContext(), response, HttpServletResponse.SC_OK, page, Map.of());
    }
}
