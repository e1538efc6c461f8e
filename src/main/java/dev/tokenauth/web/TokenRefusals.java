package dev.tokenauth.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The one writer of the token gate's refusals, for every entry point (the filter, the Jakarta Authentication module):
 * 401 with {@code WWW-Authenticate}, 429 with {@code Retry-After}, 503; each with a JSON body and
 * {@code Cache-Control: no-store}, since every one of them is about one caller's credentials.
 */
public final class TokenRefusals {

    public static final String NOT_LOGGED_IN = "Not logged in.";
    public static final String INVALID_TOKEN = "Invalid token.";
    /**
     * The longest wait whose 429 answer is kept once made: the failed-token throttle's waits are whole seconds of
     * at most its window, so a handful of answers serve a whole flood.
     */
    static final long LONGEST_KEPT_WAIT_SECONDS = TokenGate.FAILURE_WINDOW.toSeconds();

    private final String challenge;
    private final FixedJsonAnswer notLoggedIn = FixedJsonAnswer.failure(HttpServletResponse.SC_UNAUTHORIZED, NOT_LOGGED_IN);
    private final FixedJsonAnswer invalidToken = FixedJsonAnswer.failure(HttpServletResponse.SC_UNAUTHORIZED, INVALID_TOKEN);
    private final FixedJsonAnswer unavailable = FixedJsonAnswer.failure(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
            JsonServlet.UNAVAILABLE);
    private final Map<Long, FixedJsonAnswer> throttledAnswers = new ConcurrentHashMap<>();

    public TokenRefusals(String realm) {
        if (realm == null || realm.isBlank() || realm.contains("\"") || realm.contains("\\")) {
            throw new IllegalArgumentException("realm must be non-empty and contain no quote or backslash");
        }
        this.challenge = AuthorizationHeaderParser.TOKEN_SCHEME + " realm=\"" + realm + "\"";
    }

    /** Answers a request the gate refused. */
    public void refuse(TokenGate.Refused refused, HttpServletResponse response) throws IOException {
        if (refused instanceof TokenGate.Throttled throttled) {
            throttled(response, throttled.retryAfter());
        } else if (refused instanceof TokenGate.Unavailable) {
            unavailable(response);
        } else {
            invalidToken(response);
        }
    }

    /** For a request with no user at all. */
    public void notLoggedIn(HttpServletResponse response) throws IOException {
        challenge(response, notLoggedIn);
    }

    /** For any Authorization header that does not name an active token: one answer for every reason. */
    public void invalidToken(HttpServletResponse response) throws IOException {
        challenge(response, invalidToken);
    }

    /** For a client address that used up its allowance of failed tokens. */
    public void throttled(HttpServletResponse response, Duration wait) throws IOException {
        long seconds = wait.toSeconds();
        FixedJsonAnswer answer = seconds <= LONGEST_KEPT_WAIT_SECONDS
                ? throttledAnswers.computeIfAbsent(seconds, TokenRefusals::throttledAnswer)
                : throttledAnswer(seconds);
        response.setHeader("Cache-Control", "no-store");
        Throttled.retryAfter(response, seconds);
        answer.write(response);
    }

    private static FixedJsonAnswer throttledAnswer(long seconds) {
        return FixedJsonAnswer.failure(Throttled.STATUS,
                "Too many failed token attempts from your address; try again in " + seconds + " seconds.");
    }

    /**
     * Fails closed: a request the store cannot vouch for is refused, never let through. Nothing is logged per
     * request: the store says once that the database is unavailable, and once that it is back.
     */
    public void unavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        unavailable.write(response);
    }

    public String challenge() {
        return challenge;
    }

    private void challenge(HttpServletResponse response, FixedJsonAnswer answer) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("WWW-Authenticate", challenge);
        answer.write(response);
    }
}
