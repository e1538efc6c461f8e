package dev.tokenauth.web;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The user of a browser login: the container's principal when the container authenticated the request,
 * otherwise the name this application stored in the session at login.
 */
public final class SessionLogin {

    private final String attribute;

    public SessionLogin(String attribute) {
        this.attribute = Objects.requireNonNull(attribute, "attribute");
    }

    public Optional<String> user(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal != null) {
            return Optional.of(principal.getName());
        }
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty() : Optional.ofNullable((String) session.getAttribute(attribute));
    }

    /** Logs {@code username} in, in a new session: an id known before login is worthless after it. */
    public void login(HttpServletRequest request, String username) {
        logout(request);
        request.getSession(true).setAttribute(attribute, username);
    }

    public void logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
