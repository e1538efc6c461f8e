package dev.tokenauth.web;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.tokenauth.token.Actor;
import dev.tokenauth.token.Scopes;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Who made the current request and how: set by {@link TokenAuthFilter} as a request attribute, read by the
 * servlets behind it.
 *
 * @param username the user the request is for: whose tokens it sees and changes
 * @param tokenId the token that authenticated the request, or null when the login session did
 * @param actingUser who is really there: {@code username} itself, or an admin acting for that user
 * @param scopes the token's scopes; null for a login session, which has every scope of its user
 */
public record Caller(String username, Long tokenId, String actingUser, Set<String> scopes) {

    static final String ATTRIBUTE = Caller.class.getName();

    public static Caller byToken(String username, long tokenId, Set<String> scopes) {
        return new Caller(username, tokenId, username, Objects.requireNonNull(scopes, "scopes"));
    }

    public static Caller bySession(String username) {
        return new Caller(username, null, username, null);
    }

    /** An admin, logged in by the session, acting as {@code username}. */
    public static Caller actingFor(String username, String admin) {
        return new Caller(username, null, admin, null);
    }

    /** Whether the request may do what {@code scope} allows: a login session may do everything its user may. */
    public boolean hasScope(String scope) {
        return scopes == null || scopes.contains(scope);
    }

    /**
     * Refuses a request whose token lacks {@code scope} with {@code 403 {"msg": "This token lacks the scope
     * 'write'.", "success": false}}.
     */
    public void requireScope(String scope) throws RequestRejected {
        if (!hasScope(scope)) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, Scopes.lacking(scope));
        }
    }

    public boolean viaToken() {
        return tokenId != null;
    }

    public boolean actingForAnother() {
        return !username.equals(actingUser);
    }

    /** The caller as the token rules see them. */
    public Actor actor(ServletRequest request) {
        return new Actor(username, actingUser, tokenId, request.getRemoteAddr());
    }

    /** Who is really there (the admin, when acting for another), by their own credential, for the audit trail. */
    public Actor acting(ServletRequest request) {
        return Actor.self(actingUser, tokenId, request.getRemoteAddr());
    }

    public static Optional<Caller> of(ServletRequest request) {
        return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE));
    }

    void attachTo(ServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }
}
