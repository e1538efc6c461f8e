package com.example.orders;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application's own API, under the path tokenauth guards: only a caller with a valid token (or logged in) gets
 * here, and {@code getRemoteUser()} is the token's owner. Without tokenauth (turned off) it answers anyone, with
 * no user.
 */
@WebServlet("/api/orders")
public class OrdersServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"orders\": [], \"user\": " + (user == null ? "null" : "\"" + json(user) + "\"")
                + "}");
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
