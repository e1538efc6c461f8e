package dev.tokenauth.it;

import java.io.IOException;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The API of the "other" application in {@link ReuseInAnotherAppIT}: deployed there, never in tokenauth.war.
 * It knows nothing of tokens; it answers with the user the container (through our filter) says is calling.
 */
public class OrdersServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.createObjectBuilder()
                .add("user", request.getRemoteUser())
                .add("orders", Json.createArrayBuilder())
                .add("success", true)
                .build().toString());
    }
}
