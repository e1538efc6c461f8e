package dev.tokenauth.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.token.NewToken;
import dev.tokenauth.token.TokenEvents;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenStore;
import dev.tokenauth.token.TokenStore.Rotation.Outcome;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

/** {@link TokenStore} on Jakarta Persistence. */
public final class JpaTokenStore implements TokenStore {

    private final Transactions tx;

    public JpaTokenStore(Database database) {
        this(database.transactions());
    }

    JpaTokenStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<TokenInfo> create(NewToken token, int limit, AuditEvent event) {
        ensureOwnerRow(token.owner());
        return tx.run("token create", em -> {
            lockOwner(em, token.owner());
            if (countActive(em, token.owner(), token.createdAt()) >= limit) {
                return Optional.empty();
            }
            TokenEntity entity = new TokenEntity(token);
            em.persist(entity);
            em.flush();
            TokenInfo info = entity.toInfo();
            em.persist(new AuditEntity(event.withToken(info.id(), info.displayPrefix())));
            return Optional.of(info);
        });
    }

    @Override
    public Optional<Found> findByDigest(String digest) {
        return tx.run("token lookup", em -> em.createNamedQuery(TokenEntity.FIND_BY_DIGEST, Object[].class)
                .setParameter("digest", digest)
                .getResultStream()
                .findFirst()
                .map(row -> new Found(((TokenEntity) row[0]).toInfo(), Boolean.TRUE.equals(row[1]))));
    }

    @Override
    public Optional<TokenInfo> revoke(String owner, TokenRef ref, Instant at, AuditEvent event) {
        return tx.run("token revoke", em -> find(em, owner, ref)
                .filter(t -> t.activeAt(at))
                .map(t -> {
                    t.revoke(at);
                    TokenInfo info = t.toInfo();
                    em.persist(new AuditEntity(event.withToken(info.id(), info.displayPrefix())));
                    return info;
                }));
    }

    @Override
    public List<TokenInfo> revokeAll(String owner, Instant at, AuditEvent event) {
        ensureOwnerRow(owner);
        return tx.run("token revoke all", em -> {
            // Under the owner's lock, so that no token created meanwhile escapes.
            lockOwner(em, owner);
            List<TokenEntity> active = em.createNamedQuery(TokenEntity.LOCK_ACTIVE_BY_OWNER, TokenEntity.class)
                    .setParameter("owner", owner)
                    .setParameter("now", at)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            for (TokenEntity t : active) {
                t.revoke(at);
                em.persist(new AuditEntity(event.withToken(t.getId(), t.toInfo().displayPrefix())));
            }
            return active.stream().map(TokenEntity::toInfo).toList();
        });
    }

    @Override
    public Rotation rotate(String owner, TokenRef ref, NewToken successor, Instant oldEndsAt, int limit,
            AuditEvent event) {
        ensureOwnerRow(owner);
        return tx.run("token rotate", em -> {
            lockOwner(em, owner);
            Instant now = successor.createdAt();
            Optional<TokenEntity> found = find(em, owner, ref).filter(t -> !t.revoked());
            if (found.isEmpty()) {
                return Rotation.failed(Outcome.NOT_FOUND);
            }
            TokenEntity old = found.get();
            // Checked before the end of its grace period: the caller's own token, rotated, is a conflict either way.
            if (old.rotated()) {
                return Rotation.failed(Outcome.ALREADY_ROTATED);
            }
            if (!old.activeAt(now)) {
                return Rotation.failed(Outcome.NOT_FOUND);
            }
            if (countActive(em, owner, now) > limit) {
                return Rotation.failed(Outcome.LIMIT_REACHED);
            }
            TokenEntity created = new TokenEntity(successor);
            created.setLabelIfAbsent(old.getLabel());
            em.persist(created);
            em.flush();
            old.rotateTo(created.getId(), oldEndsAt);
            TokenInfo oldInfo = old.toInfo();
            TokenInfo createdInfo = created.toInfo();
            // Flushed one by one so that the trail reads in order: the successor's creation, then the rotation.
            em.persist(new AuditEntity(TokenEvents.createdByRotation(event, oldInfo, createdInfo)));
            em.flush();
            em.persist(new AuditEntity(TokenEvents.rotated(event, oldInfo, createdInfo)));
            return new Rotation(Outcome.ROTATED, oldInfo, createdInfo);
        });
    }

    @Override
    public List<TokenInfo> listActive(String owner, Instant now) {
        return tx.run("token list", em -> em.createNamedQuery(TokenEntity.LIST_ACTIVE_BY_OWNER, TokenEntity.class)
                .setParameter("owner", owner)
                .setParameter("now", now)
                .getResultStream()
                .map(TokenEntity::toInfo)
                .toList());
    }

    @Override
    public Optional<TokenInfo> find(String owner, long id) {
        return tx.run("token find", em -> em.createNamedQuery(TokenEntity.FIND_BY_OWNER_AND_ID, TokenEntity.class)
                .setParameter("id", id)
                .setParameter("owner", owner)
                .getResultStream()
                .findFirst()
                .map(TokenEntity::toInfo));
    }

    @Override
    public void recordLastUse(Map<Long, Instant> lastUse) {
        tx.run("token last use", em -> {
            // In id order, as every server does, so that two writes of the same rows never deadlock.
            new TreeMap<>(lastUse).forEach((id, at) -> em.createNamedQuery(TokenEntity.RECORD_LAST_USE)
                    .setParameter("at", at)
                    .setParameter("id", id)
                    .executeUpdate());
            return null;
        });
    }

    @Override
    public List<TokenInfo> noteExpired(Instant now) {
        return tx.run("token expiry", em -> {
            List<TokenEntity> expired = em.createNamedQuery(TokenEntity.LIST_NEWLY_EXPIRED, TokenEntity.class)
                    .setParameter("now", now)
                    .setMaxResults(1000)
                    .getResultList();
            List<TokenInfo> noted = new ArrayList<>();
            for (TokenEntity t : expired) {
                int updated = em.createNamedQuery(TokenEntity.NOTE_EXPIRY)
                        .setParameter("now", now)
                        .setParameter("id", t.getId())
                        .executeUpdate();
                if (updated == 1) {
                    TokenInfo info = t.toInfo();
                    em.persist(new AuditEntity(TokenEvents.expired(info)));
                    noted.add(info);
                }
            }
            return noted;
        });
    }

    @Override
    public int purgeEndedBefore(Instant cutoff) {
        return tx.run("token purge", em -> em.createNamedQuery(TokenEntity.PURGE_ENDED)
                .setParameter("cutoff", cutoff)
                .executeUpdate());
    }

    private static Optional<TokenEntity> find(EntityManager em, String owner, TokenRef ref) {
        TypedQuery<TokenEntity> query;
        if (ref instanceof TokenRef.ByDigest d) {
            query = em.createNamedQuery(TokenEntity.FIND_BY_OWNER_AND_DIGEST, TokenEntity.class)
                    .setParameter("digest", d.digest());
        } else {
            query = em.createNamedQuery(TokenEntity.FIND_BY_OWNER_AND_ID, TokenEntity.class)
                    .setParameter("id", ((TokenRef.ById) ref).id());
        }
        // The row lock makes concurrent changes of one token agree on which of them changed it.
        return query.setParameter("owner", owner)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream()
                .findFirst();
    }

    private static long countActive(EntityManager em, String owner, Instant now) {
        return em.createNamedQuery(TokenEntity.COUNT_ACTIVE_BY_OWNER, Long.class)
                .setParameter("owner", owner)
                .setParameter("now", now)
                .getSingleResult();
    }

    private static void lockOwner(EntityManager em, String owner) {
        em.find(TokenOwnerEntity.class, owner, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The owner's lock row, created once; a concurrent creation of the same row is as good as ours. */
    private void ensureOwnerRow(String owner) {
        try {
            tx.run("token owner", em -> {
                if (em.find(TokenOwnerEntity.class, owner) == null) {
                    em.persist(new TokenOwnerEntity(owner));
                }
                return null;
            });
        } catch (KeyConflictException e) {
            // Another request or server inserted it between our look and our insert: the row is there.
        }
    }
}
