package dev.tokenauth.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.NewToken;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenStore;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;

/** {@link TokenStore} on Jakarta Persistence. */
public final class JpaTokenStore implements TokenStore {

    private final Transactions tx;

    public JpaTokenStore(EntityManagerFactory factory) {
        this.tx = new Transactions(factory);
    }

    @Override
    public TokenInfo insert(NewToken token) {
        return tx.run("token insert", em -> {
            TokenEntity entity = new TokenEntity(token.digest(), token.displayPrefix(), token.owner(),
                    token.createdAt(), token.createdByTokenId());
            em.persist(entity);
            em.flush();
            return entity.toInfo();
        });
    }

    @Override
    public Optional<AuthenticatedToken> findActive(String digest) {
        return tx.run("token lookup", em -> em.createNamedQuery(TokenEntity.FIND_ACTIVE_BY_DIGEST, TokenEntity.class)
                .setParameter("digest", digest)
                .getResultStream()
                .findFirst()
                .map(t -> new AuthenticatedToken(t.getId(), t.getOwner())));
    }

    @Override
    public Optional<TokenInfo> revoke(String owner, String digest, Instant at) {
        // The row lock makes two concurrent revocations of one token agree on which of them revoked it.
        return tx.run("token revoke", em -> em
                .createNamedQuery(TokenEntity.FIND_ACTIVE_BY_OWNER_AND_DIGEST, TokenEntity.class)
                .setParameter("digest", digest)
                .setParameter("owner", owner)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream()
                .findFirst()
                .map(t -> {
                    t.revoke(at);
                    return t.toInfo();
                }));
    }

    @Override
    public List<TokenInfo> listActive(String owner) {
        return tx.run("token list", em -> em.createNamedQuery(TokenEntity.LIST_ACTIVE_BY_OWNER, TokenEntity.class)
                .setParameter("owner", owner)
                .getResultStream()
                .map(TokenEntity::toInfo)
                .toList());
    }
}
