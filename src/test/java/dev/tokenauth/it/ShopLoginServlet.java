package dev.tokenauth.it;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The login of another application that logs its users in itself, without the container: it keeps the user's
 * name in a session attribute of its own choosing, {@code currentUser}.
 */
public class ShopLoginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PASSWORD = "shop-password";

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String username = request.getParameter("username");
        if (username == null || username.isBlank() || !PASSWORD.equals(request.getParameter("password"))) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        request.getSession(true);
        request.changeSessionId();
        request.getSession().setAttribute("currentUser", username);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
