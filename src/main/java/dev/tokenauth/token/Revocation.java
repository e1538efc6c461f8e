package dev.tokenauth.token;

import java.time.Instant;

/**
 * A revocation as the token keeps it, for its owner to read.
 *
 * @param by who revoked it when that was not its owner (an admin), or null
 * @param reason why, when its owner did not revoke it themselves (an admin's reason, a detected reuse), or null
 */
public record Revocation(Instant at, String by, String reason) {

    /** The owner revoked it. */
    public static Revocation byOwner(Instant at) {
        return new Revocation(at, null, null);
    }
}
