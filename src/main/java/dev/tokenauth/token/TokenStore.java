package dev.tokenauth.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of tokens, by digest only. Every method throws
 * {@link dev.tokenauth.StoreUnavailableException} when the store cannot answer.
 */
public interface TokenStore {

    /** Stores {@code token} and returns it with its new id. */
    TokenInfo insert(NewToken token);

    /** The active (not revoked) token with this digest. */
    Optional<AuthenticatedToken> findActive(String digest);

    /**
     * Revokes the active token with this digest if {@code owner} owns it, in one atomic step.
     *
     * @return the revoked token, or empty when there was no such active token of that owner
     */
    Optional<TokenInfo> revoke(String owner, String digest, Instant at);

    /** The owner's active tokens, oldest first. */
    List<TokenInfo> listActive(String owner);
}
