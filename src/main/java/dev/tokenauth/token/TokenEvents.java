package dev.tokenauth.token;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditType;

/**
 * The audit events of token changes, made in one place for the store (which stores them with the change) and
 * the service (which logs them once the change is committed).
 */
public final class TokenEvents {

    private TokenEvents() {
    }

    /** The token reached its expiry. */
    public static AuditEvent expired(TokenInfo token) {
        return new AuditEvent(0, token.expiresAt(), AuditType.TOKEN_EXPIRED, token.owner(), null, token.id(),
                token.displayPrefix(), null, null);
    }

    /** The token will expire soon: told once (the webhook's {@code token.expiring}). */
    public static AuditEvent expiryWarned(TokenInfo token, java.time.Instant now) {
        return new AuditEvent(0, now, AuditType.TOKEN_EXPIRY_WARNED, token.owner(), null, token.id(),
                token.displayPrefix(), null, "expires at " + token.expiresAt());
    }

    /** {@code rotation} (a TOKEN_ROTATED event of the request) applied to the old token. */
    public static AuditEvent rotated(AuditEvent rotation, TokenInfo old, TokenInfo successor) {
        return rotation.withToken(old.id(), old.displayPrefix()).withDetail(joined(
                "successor token " + successor.id() + " (" + successor.displayPrefix() + ")", rotation.detail()));
    }

    /** The creation of the successor in a rotation. */
    public static AuditEvent createdByRotation(AuditEvent rotation, TokenInfo old, TokenInfo successor) {
        return new AuditEvent(0, rotation.at(), AuditType.TOKEN_CREATED, rotation.user(), rotation.actingUser(),
                successor.id(), successor.displayPrefix(), rotation.clientAddress(),
                joined("by rotation of token " + old.id(), rotation.detail()));
    }

    /** Two details as one ("a; b"), either of which may be null. */
    static String joined(String detail, String more) {
        if (detail == null) {
            return more;
        }
        return more == null ? detail : detail + "; " + more;
    }
}
