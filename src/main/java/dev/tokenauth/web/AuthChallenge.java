package dev.tokenauth.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/** The one place that writes a 401: status, {@code WWW-Authenticate} and JSON body. */
public final class AuthChallenge {

    public static final String NOT_LOGGED_IN = "Not logged in.";
    public static final String INVALID_TOKEN = "Invalid token.";

    private final String challenge;

    public AuthChallenge(String realm) {
        if (realm == null || realm.isBlank() || realm.contains("\"") || realm.contains("\\")) {
            throw new IllegalArgumentException("realm must be non-empty and contain no quote or backslash");
        }
        this.challenge = AuthorizationHeaderParser.TOKEN_SCHEME + " realm=\"" + realm + "\"";
    }

    /** For a request with no user at all. */
    public void notLoggedIn(HttpServletResponse response) throws IOException {
        refuse(response, NOT_LOGGED_IN);
    }

    /** For any Authorization header that does not name an active token: one answer for every reason. */
    public void invalidToken(HttpServletResponse response) throws IOException {
        refuse(response, INVALID_TOKEN);
    }

    public String challenge() {
        return challenge;
    }

    private void refuse(HttpServletResponse response, String msg) throws IOException {
        response.setHeader("WWW-Authenticate", challenge);
        JsonResponses.failure(response, HttpServletResponse.SC_UNAUTHORIZED, msg);
    }
}
