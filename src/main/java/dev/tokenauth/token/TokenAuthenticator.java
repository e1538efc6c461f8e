package dev.tokenauth.token;

import java.util.Optional;

/**
 * What {@code TokenAuthFilter} needs from the token layer, and nothing more: it knows no store, no JPA.
 */
public interface TokenAuthenticator {

    /**
     * The active token matching {@code presented}, or empty when it is malformed, unknown, revoked or expired
     * (one answer for all of them; the reason goes to the audit trail).
     *
     * @param clientAddress the address the request came from, for the audit trail
     *
     * @throws dev.tokenauth.StoreUnavailableException when the store cannot answer; callers must refuse
     */
    Optional<AuthenticatedToken> authenticate(String presented, String clientAddress);

    /**
     * As {@link #authenticate(String, String)}, for a request that would rotate a token when {@code rotation}: there a
     * token that a rotation already replaced is a sign of theft (see {@code TokenService#rotate}), which an
     * authenticator that keeps rotation families acts on.
     */
    default Optional<AuthenticatedToken> authenticate(String presented, String clientAddress, boolean rotation) {
        return authenticate(presented, clientAddress);
    }

    /**
     * Whether {@code presented} authenticated lately (within {@link ValidationCache#KNOWN_GOOD_FOR}), so that it may
     * still be checked while its client address is throttled. Answered from memory, never from the store: a guess
     * is never known. A token known as good may have ended since; it is checked as any other.
     */
    default boolean knownGood(String presented) {
        return false;
    }

    /**
     * Notes for the audit trail that a request was refused for an Authorization header that names no token
     * (another scheme, extra parts, bad characters, several headers). Nothing of the header is kept: it may
     * hold a password or someone else's secret. Must not block; must not fail the request.
     */
    void refusedUnusableHeader(String clientAddress);

    /**
     * Notes for the audit trail that failed token authentications from {@code clientAddress} used up its allowance:
     * its token requests are refused for a while. Once per lockout; must not block; must not fail the request.
     */
    default void addressThrottled(String clientAddress, String why) {
    }
}
