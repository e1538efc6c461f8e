package dev.tokenauth.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The rules about tokens, in one place: how they are made, checked, revoked and listed. Servlets and the
 * filter only translate HTTP to these calls.
 * <p>
 * Plaintext tokens enter here (to be checked) and leave here once (when issued); only digests go further.
 * Log lines name tokens by id and display prefix.
 */
public final class TokenService implements TokenAuthenticator {

    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());

    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random;

    public TokenService(TokenStore store, Clock clock, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Creates a token for {@code owner}.
     *
     * @param viaTokenId the token that authenticated the request, or null when the owner's login session did
     */
    public IssuedToken issue(String owner, Long viaTokenId) {
        requireOwner(owner);
        String plaintext = TokenFormat.generate(random);
        TokenInfo info = store.insert(new NewToken(TokenFormat.digest(plaintext), TokenFormat.displayPrefix(plaintext),
                owner, clock.instant(), viaTokenId));
        LOG.info(() -> "Token " + info.id() + " (" + info.displayPrefix() + ") created for " + owner
                + (viaTokenId == null ? " from a login session" : " by token " + viaTokenId));
        return new IssuedToken(plaintext, info);
    }

    @Override
    public Optional<AuthenticatedToken> authenticate(String presented) {
        if (!TokenFormat.isWellFormed(presented)) {
            return Optional.empty();
        }
        return store.findActive(TokenFormat.digest(presented));
    }

    /**
     * Revokes {@code presented} if it is one of {@code owner}'s active tokens. An unknown token, an already
     * revoked one and another user's all give the same {@code false}, so the answer reveals nothing.
     */
    public boolean revoke(String owner, String presented) {
        requireOwner(owner);
        if (!TokenFormat.isWellFormed(presented)) {
            return false;
        }
        Optional<TokenInfo> revoked = store.revoke(owner, TokenFormat.digest(presented), clock.instant());
        revoked.ifPresent(t -> LOG.info(() -> "Token " + t.id() + " (" + t.displayPrefix() + ") of " + owner
                + " revoked"));
        return revoked.isPresent();
    }

    /** The owner's active tokens, oldest first. */
    public List<TokenInfo> list(String owner) {
        requireOwner(owner);
        return store.listActive(owner);
    }

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("owner is required");
        }
    }
}
