package dev.tokenauth.web;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /health/live} and {@code /health/ready} for a load balancer or an orchestrator, without a token, in
 * MicroProfile Health's JSON shape: {@code {"status": "UP", "checks": [{"name": "database", "status": "UP"}]}}.
 * Live is UP while the application runs; ready also asks the database, within {@code tokenauth.db.timeout}, and
 * answers 503 DOWN when it does not answer. Cheap: one connection check, no query of the tables.
 */
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient BooleanSupplier databaseAnswers;

    @Override
    public void init() throws ServletException {
        databaseAnswers = AppServices.from(getServletContext()).databaseCheck();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (request.getServletPath().endsWith("/live")) {
            JsonResponses.write(response, HttpServletResponse.SC_OK,
                    JsonFactories.object().add("status", "UP").add("checks", JsonFactories.array()).build());
            return;
        }
        boolean up = databaseAnswers.getAsBoolean();
        JsonObjectBuilder check = JsonFactories.object().add("name", "database").add("status", up ? "UP" : "DOWN");
        JsonResponses.write(response, up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                JsonFactories.object().add("status", up ? "UP" : "DOWN").add("checks", JsonFactories.array().add(check))
                        .build());
    }
}
