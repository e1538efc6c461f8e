package dev.tokenauth.token;

/**
 * Where this server announces the changes that end tokens, so that the other servers on the same database drop
 * them from their caches at once instead of within their cache's age. Announcing is best effort: a change that
 * cannot be announced still counts everywhere within the cache's age (its TTL), which stays the bound.
 */
@FunctionalInterface
public interface TokenChanges {

    /** No other server to tell (one server, or a database without a change channel). */
    TokenChanges NONE = change -> { };

    void announce(TokenChange change);
}
