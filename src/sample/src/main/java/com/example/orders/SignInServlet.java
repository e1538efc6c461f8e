package com.example.orders;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application's own login, as an application that has its users somewhere else would have it: it puts the
 * user's name in the session under the attribute tokenauth reads ({@code tokenauth.session.attribute}, default
 * {@code dev.tokenauth.user}), and tokenauth's create_token then makes tokens for that user. (A sample: one
 * shared demo password, checked in constant time.)
 */
@WebServlet("/signin")
public class SignInServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String SESSION_USER = "dev.tokenauth.user";
    static final String DEMO_PASSWORD = "orders-demo-password";

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("username");
        String password = request.getParameter("password");
        if (user == null || user.isBlank() || password == null || !java.security.MessageDigest.isEqual(
                password.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                DEMO_PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        request.getSession(true);
        request.changeSessionId(); // a new session id at login, against session fixation
        request.getSession().setAttribute(SESSION_USER, user);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
