package dev.tokenauth.site;

import dev.tokenauth.web.Faults;
import dev.tokenauth.web.TokenRefusals;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The error page of the whole application: whatever went wrong, the client gets a short JSON answer, never
 * the container's HTML page or a stack trace. An exception that escaped is a fault of the program: logged here in
 * one line ({@link Faults}). Asked for directly, as {@code /error}, it is an unknown page: 404.
 */
public class ErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() == DispatcherType.REQUEST) {
            // A client asked for /error itself: there is no error to tell of, and no such page for it.
            int notFound = HttpServletResponse.SC_NOT_FOUND;
            JsonResponses.failure(response, notFound, message(notFound));
            return;
        }
        Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        if (error != null && Faults.isContainersRefusal(error)) {
            // The client's fault, not ours: its status (400, or 413 for a form over the container's limit), and no
            // log line, which would hold the value.
            int refused = response.getStatus();
            status = refused >= 400 && refused < 500 ? refused : HttpServletResponse.SC_BAD_REQUEST;
            JsonResponses.failure(response, status, message(status));
            return;
        }
        if (error != null) {
            // One line; the container has logged the stack trace already.
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            Faults.log(request.getMethod() + " " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), error);
        }
        JsonResponses.failure(response, status, message(status));
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "Bad request.";
            case 401 -> TokenRefusals.NOT_LOGGED_IN;
            case 403 -> "Forbidden.";
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 413 -> "Request body too large.";
            case 503 -> JsonServlet.UNAVAILABLE;
            default -> status >= 500 ? Faults.MESSAGE : "Request refused.";
        };
    }
}
