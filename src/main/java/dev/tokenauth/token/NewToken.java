package dev.tokenauth.token;

import java.time.Instant;

/**
 * What the store keeps of a token being created: its digest, never its plaintext.
 *
 * @param label null for none (a rotation then keeps the old token's label)
 * @param expiresAt null for never
 * @param scopes what the token may do (see {@link Scopes}); never null
 */
public record NewToken(String digest, String displayPrefix, String owner, String label, Instant createdAt,
        Long createdByTokenId, Instant expiresAt, java.util.Set<String> scopes) {
}
