package dev.tokenauth.web;

import java.security.Principal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.tokenauth.user.Usernames;

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
    private final String loggedInAtAttribute;

    public SessionLogin(String attribute) {
        this.attribute = Objects.requireNonNull(attribute, "attribute");
        this.actingForAttribute = attribute + ".actingFor";
        this.loggedInAtAttribute = attribute + ".loggedInAt";
    }

    /**
     * The logged-in user: the one who typed the password, whoever they act as; in its {@linkplain Usernames
     * canonical} form, whether the container or an application's own login put it there.
     */
    /** The session attribute that holds the logged-in user's name. */
    public String attribute() {
        return attribute;
    }

    public Optional<String> user(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal != null) {
            return Optional.of(Usernames.canonical(principal.getName()));
        }
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty()
                : Optional.ofNullable((String) session.getAttribute(attribute)).map(Usernames::canonical);
    }

    /** Logs {@code username} in, in a new session: an id known before login is worthless after it. */
    public void login(HttpServletRequest request, String username) {
        logout(request);
        HttpSession session = request.getSession(true);
        session.setAttribute(attribute, username);
        session.setAttribute(loggedInAtAttribute, Instant.now());
    }

    /**
     * When this application logged the session's user in; empty when the container did (or no one). A password
     * replaced after it ends the session.
     */
    public Optional<Instant> loggedInAt(HttpServletRequest request) {
        HttpSession session = request.getUserPrincipal() != null ? null : request.getSession(false);
        return session == null ? Optional.empty() : Optional.ofNullable((Instant) session.getAttribute(loggedInAtAttribute));
    }

    /**
     * Keeps a session valid across its own user's password change, the way a new login would, but without
     * ending the session: a new session id, the login time now.
     */
    public void renewLogin(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(attribute) != null) {
            request.changeSessionId();
            session.setAttribute(loggedInAtAttribute, Instant.now());
        }
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
