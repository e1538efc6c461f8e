package dev.tokenauth.token;

import java.time.Instant;

/** What the store keeps of a token being created: its digest, never its plaintext. */
public record NewToken(String digest, String displayPrefix, String owner, Instant createdAt, Long createdByTokenId) {
}
