package dev.tokenauth.token;

/** A token that authenticated a request: its id (never its secret) and its owner. */
public record AuthenticatedToken(long id, String owner) {
}
