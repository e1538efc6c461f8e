package dev.tokenauth.token;

import java.time.Instant;
import java.util.Set;

/**
 * A stored token's state as people may see it: no secret, no digest.
 *
 * @param label a short text chosen by the user, or null
 * @param createdByTokenId the token whose request created this one, or null when a login session did
 * @param expiresAt when it stops working, or null for never
 * @param lastUsedAt when it last authenticated a request (to within the configured interval), or null
 * @param revokedAt when it was revoked, or null
 * @param rotatedToId the successor it was rotated to, or null
 * @param scopes what it may do; null for a token stored by a version before scopes, which has every scope the
 *        application knows ({@link Scopes#ofStored(Set)})
 */
public record TokenInfo(long id, String displayPrefix, String owner, String label, Instant createdAt,
        Long createdByTokenId, Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Long rotatedToId,
        Set<String> scopes) {

    public TokenInfo {
        scopes = scopes == null ? null : Set.copyOf(scopes);
    }

    public boolean createdBySession() {
        return createdByTokenId == null;
    }

    /** Not revoked and not past its expiry at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    public TokenInfo withLastUsedAt(Instant at) {
        return new TokenInfo(id, displayPrefix, owner, label, createdAt, createdByTokenId, expiresAt, at, revokedAt,
                rotatedToId, scopes);
    }

    public TokenInfo withScopes(Set<String> given) {
        return new TokenInfo(id, displayPrefix, owner, label, createdAt, createdByTokenId, expiresAt, lastUsedAt,
                revokedAt, rotatedToId, given);
    }
}
