package dev.tokenauth.web;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The user of a browser login: the container's principal when the container authenticated the request,
 * otherwise the name this application stored in the session at login. Also keeps, in the same session, the
 * user an admin acts as.
 */
public final class SessionLogin {

    private final String attribute;
    private final String actingForAttribute;

    public SessionLogin(String attribute) {
        this.attribute = Objects.requireNonNull(attribute, "attribute");
        this.actingForAttribute = attribute + ".actingFor";
    }

    /** The logged-in user: the one who typed the password, whoever they act as. */
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

    /** The user the logged-in admin acts as, if any. */
    public Optional<String> actingFor(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty()
                : Optional.ofNullable((String) session.getAttribute(actingForAttribute));
    }

    /** From now on, requests of this session act as {@code username}. Needs a session. */
    public void startActingAs(HttpServletRequest request, String username) {
        request.getSession(true).setAttribute(actingForAttribute, Objects.requireNonNull(username));
    }

    public void stopActing(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(actingForAttribute);
        }
    }
}
