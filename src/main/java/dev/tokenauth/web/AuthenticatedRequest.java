package dev.tokenauth.web;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as the chain behind {@link TokenAuthFilter} sees it: {@code getRemoteUser()} and
 * {@code getUserPrincipal()} name the token's owner. A request the container already authenticated keeps the
 * container's principal, with its roles.
 */
final class AuthenticatedRequest extends HttpServletRequestWrapper {

    static final String TOKEN_AUTH = "TOKEN";

    private final Caller caller;
    private final Principal principal;

    AuthenticatedRequest(HttpServletRequest request, Caller caller) {
        super(request);
        this.caller = caller;
        // An admin acting for a user is that user here, without the admin's container roles.
        Principal containerPrincipal = caller.viaToken() || caller.actingForAnother() ? null : request.getUserPrincipal();
        this.principal = containerPrincipal != null ? containerPrincipal : new UserPrincipal(caller.username());
        caller.attachTo(request);
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getAuthType() {
        return caller.viaToken() ? TOKEN_AUTH : super.getAuthType();
    }

    @Override
    public boolean isUserInRole(String role) {
        // A token carries no roles: it must not inherit those of a session that came along with it.
        return !caller.viaToken() && !caller.actingForAnother() && super.isUserInRole(role);
    }

    /** The principal of a user authenticated by a token or by this application's own login. */
    record UserPrincipal(String getName) implements Principal {
    }
}
