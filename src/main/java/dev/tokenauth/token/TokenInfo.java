package dev.tokenauth.token;

import java.time.Instant;
import java.util.List;
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
 * @param rotatedFromId the token this one succeeded in a rotation, or null
 * @param familyId the first token of its rotation family, or null when this token is that first one
 * @param revokedBy who revoked it when that was not its owner (an admin), or null
 * @param revokeReason why it was revoked when its owner did not say (an admin's reason, a detected reuse), or null
 * @param usedFrom the most recent distinct client addresses it authenticated from, newest first; empty when not
 *        looked up
 */
public record TokenInfo(long id, String displayPrefix, String owner, String label, Instant createdAt,
        Long createdByTokenId, Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Long rotatedToId,
        Set<String> scopes, Long rotatedFromId, Long familyId, String revokedBy, String revokeReason,
        List<UsedFrom> usedFrom) {

    /** A client address and when the token was last used from it. */
    public record UsedFrom(String address, Instant at) {
    }

    public TokenInfo {
        scopes = scopes == null ? null : Set.copyOf(scopes);
        usedFrom = usedFrom == null ? List.of() : List.copyOf(usedFrom);
    }

    /** A token outside any rotation, never revoked by someone else, without addresses. */
    public TokenInfo(long id, String displayPrefix, String owner, String label, Instant createdAt,
            Long createdByTokenId, Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Long rotatedToId,
            Set<String> scopes) {
        this(id, displayPrefix, owner, label, createdAt, createdByTokenId, expiresAt, lastUsedAt, revokedAt,
                rotatedToId, scopes, null, null, null, null, List.of());
    }

    public boolean createdBySession() {
        return createdByTokenId == null;
    }

    /** Not revoked and not past its expiry at {@code now}. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** The family a rotation successor joins: the family of this token, which may be this token itself. */
    public long family() {
        return familyId != null ? familyId : id;
    }

    public TokenInfo withLastUsedAt(Instant at) {
        return new TokenInfo(id, displayPrefix, owner, label, createdAt, createdByTokenId, expiresAt, at, revokedAt,
                rotatedToId, scopes, rotatedFromId, familyId, revokedBy, revokeReason, usedFrom);
    }

    public TokenInfo withScopes(Set<String> given) {
        return new TokenInfo(id, displayPrefix, owner, label, createdAt, createdByTokenId, expiresAt, lastUsedAt,
                revokedAt, rotatedToId, given, rotatedFromId, familyId, revokedBy, revokeReason, usedFrom);
    }

    public TokenInfo withExpiresAt(Instant at) {
        return new TokenInfo(id, displayPrefix, owner, label, createdAt, createdByTokenId, at, lastUsedAt,
                revokedAt, rotatedToId, scopes, rotatedFromId, familyId, revokedBy, revokeReason, usedFrom);
    }

    public TokenInfo withUsedFrom(List<UsedFrom> addresses) {
        return new TokenInfo(id, displayPrefix, owner, label, createdAt, createdByTokenId, expiresAt, lastUsedAt,
                revokedAt, rotatedToId, scopes, rotatedFromId, familyId, revokedBy, revokeReason, addresses);
    }
}
