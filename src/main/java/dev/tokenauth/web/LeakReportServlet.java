package dev.tokenauth.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/credentials/revoke}, JSON {@code {"credentials": ["tka_...", ...]}} (1 to
 * {@value #MOST_CREDENTIALS}): anyone who finds a leaked token reports it here, without authentication (the token
 * filter lets this one path through), and each active token among them is revoked. The answer is the same
 * {@code 202} whatever existed, so it tells nothing about any token; reports are throttled per client address.
 */
public class LeakReportServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    static final int MOST_CREDENTIALS = 1000;
    private static final Set<String> FIELDS = Set.of("credentials");

    /** The path under the API's that this endpoint is mapped to. */
    static final String ENDPOINT = "credentials/revoke";

    public LeakReportServlet() {
        super("POST");
    }

    /** Whether {@code request} is for this endpoint, which the token filter lets through unauthenticated. */
    static boolean isLeakReport(HttpServletRequest request) {
        String path = request.getServletPath();
        return path != null && request.getPathInfo() == null && path.endsWith("/" + ENDPOINT);
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        LeakReports reports = services().leakReports();
        if (!reports.enabled()) {
            JsonResponses.failure(response, HttpServletResponse.SC_NOT_FOUND, "No such API endpoint.");
            return;
        }
        Optional<Duration> wait = reports.admit(request.getRemoteAddr());
        if (wait.isPresent()) {
            // Counted before the body is read: a flood of bad bodies uses the allowance up as well.
            long seconds = Math.max(1, wait.get().toSeconds());
            Throttled.retryAfter(response, seconds);
            JsonResponses.failure(response, Throttled.STATUS, "Too many reports from your address; try again in "
                    + seconds + " seconds.");
            return;
        }
        RequestFields fields = RequestFields.read(request, RequestFields.From.JSON_BODY, FIELDS, FIELDS);
        List<String> credentials = fields.strings("credentials");
        if (credentials == null || credentials.isEmpty() || credentials.size() > MOST_CREDENTIALS) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST,
                    "credentials must be a list of 1 to " + MOST_CREDENTIALS + " tokens.");
        }
        services().tokens().reportLeaked(credentials, request.getRemoteAddr());
        JsonResponses.write(response, HttpServletResponse.SC_ACCEPTED, JsonFactories.object().add("success", true)
                .build());
    }
}
