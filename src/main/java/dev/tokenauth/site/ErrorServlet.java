package dev.tokenauth.site;

import dev.tokenauth.log.LogText;
import dev.tokenauth.web.AuthChallenge;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The error page of the whole application: whatever went wrong, the client gets a short JSON answer, never
 * the container's HTML page or a stack trace. Unexpected exceptions are logged here.
 */
public class ErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ErrorServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        if (error != null) {
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            LOG.log(Level.SEVERE, "Unhandled error on "
                    + LogText.escape(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)), error);
        }
        JsonResponses.failure(response, status, message(status));
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "Bad request.";
            case 401 -> AuthChallenge.NOT_LOGGED_IN;
            case 403 -> "Forbidden.";
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 413 -> "Request body too large.";
            case 503 -> JsonServlet.UNAVAILABLE;
            default -> status >= 500 ? "Internal server error." : "Request refused.";
        };
    }
}
