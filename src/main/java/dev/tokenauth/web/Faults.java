package dev.tokenauth.web;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.log.LogText;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Faults of the program, as opposed to a request refused (4xx) or a database that does not answer (503): a bug
 * such as a null where none may be, or a mapping the database does not fit. The client gets
 * {@code 500 {"msg": "Internal server error.", "success": false}} and nothing of the fault; the log gets one line
 * that names it and where it was thrown (its stack trace only at FINE). It is never taken for an outage.
 */
public final class Faults {

    private static final Logger LOG = Logger.getLogger(Faults.class.getName());

    public static final String MESSAGE = "Internal server error.";

    /**
     * What Tomcat 11 throws from {@code getParameter} when it cannot decode the request's parameters (Servlet 6.1
     * lets a container refuse them so): a form value such as {@code password=secret%}. The client's fault, which the
     * container answers itself (400, or 413 for a form over its limit); its message quotes the parameter's name and
     * value, which may be a password, so it is never logged.
     */
    public static final String UNREADABLE_PARAMETERS = "org.apache.tomcat.util.http.InvalidParameterException";

    private Faults() {
    }

    /** Whether {@code e} is the container's refusal of the request, for the container to answer: not a fault. */
    public static boolean isContainersRefusal(Throwable e) {
        return e.getClass().getName().equals(UNREADABLE_PARAMETERS);
    }

    /** Answers {@code fault}, met while serving {@code request}, with the 500 (unless an answer has begun). */
    public static void answer(HttpServletRequest request, HttpServletResponse response, Throwable fault)
            throws IOException {
        log(request.getMethod() + " " + request.getRequestURI(), fault);
        if (!response.isCommitted()) {
            JsonResponses.failure(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, MESSAGE);
        }
    }

    /** The one line of {@code fault}, met while serving {@code request} (a method and path, as the client sent it). */
    public static void log(String request, Throwable fault) {
        LOG.severe(() -> "Internal error on " + LogText.escape(request) + ": " + LogText.fault(fault));
        LOG.log(Level.FINE, "Stack trace of the internal error", fault);
    }
}
