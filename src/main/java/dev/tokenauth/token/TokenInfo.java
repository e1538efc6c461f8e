package dev.tokenauth.token;

import java.time.Instant;

/**
 * A stored token as people may see it: no secret, no digest.
 *
 * @param createdByTokenId the token that created this one, or null when it was created from a login session
 */
public record TokenInfo(long id, String displayPrefix, String owner, Instant createdAt, Long createdByTokenId) {

    public boolean createdBySession() {
        return createdByTokenId == null;
    }
}
