package dev.tokenauth.it;

import java.io.IOException;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A resource of the application in {@link ContainerSecurityIT}, behind a {@code <security-constraint>}: it answers
 * with what the container's own security says of the caller.
 */
public class RolesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.createObjectBuilder()
                .add("principal", request.getUserPrincipal() == null ? "" : request.getUserPrincipal().getName())
                .add("read", request.isUserInRole("read"))
                .add("write", request.isUserInRole("write"))
                .add("admin", request.isUserInRole("admin"))
                .build().toString());
    }
}
