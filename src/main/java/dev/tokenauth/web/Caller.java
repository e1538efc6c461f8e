package dev.tokenauth.web;

import java.util.Optional;

import dev.tokenauth.token.Actor;
import jakarta.servlet.ServletRequest;

/**
 * Who made the current request and how: set by {@link TokenAuthFilter} as a request attribute, read by the
 * servlets behind it.
 *
 * @param tokenId the token that authenticated the request, or null when the login session did
 */
public record Caller(String username, Long tokenId) {

    static final String ATTRIBUTE = Caller.class.getName();

    public static Caller byToken(String username, long tokenId) {
        return new Caller(username, tokenId);
    }

    public static Caller bySession(String username) {
        return new Caller(username, null);
    }

    public boolean viaToken() {
        return tokenId != null;
    }

    /** The caller as the token rules see them, acting for themselves. */
    public Actor actor(ServletRequest request) {
        return Actor.self(username, tokenId, request.getRemoteAddr());
    }

    public static Optional<Caller> of(ServletRequest request) {
        return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE));
    }

    void attachTo(ServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }
}
