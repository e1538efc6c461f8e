package dev.tokenauth.token;

import java.util.Objects;

/**
 * Who asks for a change to tokens.
 *
 * @param user the user whose tokens are concerned
 * @param actingUser who is acting: the user, or an admin acting for them
 * @param viaTokenId the token that authenticated the request, or null for a login session
 * @param clientAddress the client's address, for the audit trail
 */
public record Actor(String user, String actingUser, Long viaTokenId, String clientAddress) {

    public Actor {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user is required");
        }
        Objects.requireNonNull(actingUser, "actingUser");
    }

    public static Actor self(String user, Long viaTokenId, String clientAddress) {
        return new Actor(user, user, viaTokenId, clientAddress);
    }
}
