package dev.tokenauth.token;

import java.util.Objects;

import dev.tokenauth.user.Usernames;

/**
 * Who asks for a change to tokens.
 *
 * @param user the user whose tokens are concerned
 * @param actingUser who is acting: the user, or an admin acting for them
 * @param viaTokenId the token that authenticated the request, or null for a login session
 * @param clientAddress the client's address, for the audit trail
 */
public record Actor(String user, String actingUser, Long viaTokenId, String clientAddress) {

    /** Both names are taken in their {@linkplain Usernames canonical} form, as every rule about users sees them. */
    public Actor {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user is required");
        }
        Objects.requireNonNull(actingUser, "actingUser");
        user = Usernames.canonical(user);
        actingUser = Usernames.canonical(actingUser);
    }

    public static Actor self(String user, Long viaTokenId, String clientAddress) {
        return new Actor(user, user, viaTokenId, clientAddress);
    }
}
