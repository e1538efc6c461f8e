package dev.tokenauth.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

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
    public Optional<TokenInfo> create(String owner, Long parentId, Function<Optional<TokenInfo>, Creation> make,
            int limit) {
        return underOwnerLock("token create", owner, (em, lock) -> {
            Optional<TokenInfo> parent = parentId == null ? Optional.empty() : byOwnerAndId(em, owner, parentId);
            Creation creation = make.apply(parent);
            if (!admits(em, lock, creation.token().createdAt(), limit - 1)) {
                return Optional.empty();
            }
            TokenEntity entity = new TokenEntity(creation.token());
            em.persist(entity);
            lock.added(1);
            em.flush();
            TokenInfo info = entity.toInfo();
            em.persist(new AuditEntity(creation.event().withToken(info.id(), info.displayPrefix())));
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
        // The owner's row first, as in every change of the owner's tokens: one lock order, no deadlock.
        return tx.run("token revoke", em -> {
            TokenOwnerEntity lock = em.find(TokenOwnerEntity.class, owner, LockModeType.PESSIMISTIC_WRITE);
            return find(em, owner, ref)
                    .filter(t -> t.activeAt(at))
                    .map(t -> {
                        if (lock != null) {
                            lock.ended(1);
                        }
                        t.revoke(at);
                        TokenInfo info = t.toInfo();
                        em.persist(new AuditEntity(event.withToken(info.id(), info.displayPrefix())));
                        return info;
                    });
        });
    }

    @Override
    public List<TokenInfo> revokeAll(String owner, Instant at, AuditEvent event) {
        // Under the owner's lock, so that no token created meanwhile escapes.
        return underOwnerLock("token revoke all", owner, (em, lock) -> {
            List<TokenEntity> active = em.createNamedQuery(TokenEntity.LOCK_ACTIVE_BY_OWNER, TokenEntity.class)
                    .setParameter("owner", owner)
                    .setParameter("now", at)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            lock.ended(active.size());
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
        return underOwnerLock("token rotate", owner, (em, lock) -> {
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
            // The old token counts on through its grace period, so a rotation at the limit goes one past it, as the
            // count of active tokens always had it; it leaves the bound as an expiry does, at the next count.
            if (!admits(em, lock, now, limit)) {
                return Rotation.failed(Outcome.LIMIT_REACHED);
            }
            TokenEntity created = new TokenEntity(successor);
            created.setLabelIfAbsent(old.getLabel());
            em.persist(created);
            lock.added(1);
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
        return tx.run("token find", em -> byOwnerAndId(em, owner, id));
    }

    private static Optional<TokenInfo> byOwnerAndId(EntityManager em, String owner, long id) {
        return em.createNamedQuery(TokenEntity.FIND_BY_OWNER_AND_ID, TokenEntity.class)
                .setParameter("id", id)
                .setParameter("owner", owner)
                .getResultStream()
                .findFirst()
                .map(TokenEntity::toInfo);
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

    /**
     * Whether the owner holds at most {@code most} active tokens: known without a count while the owner's bound
     * says so, counted (and the bound made exact) otherwise.
     */
    private static boolean admits(EntityManager em, TokenOwnerEntity lock, Instant now, int most) {
        if (lock.atMost(most)) {
            return true;
        }
        long active = countActive(em, lock.owner(), now);
        lock.counted(active);
        return active <= most;
    }

    /**
     * Runs {@code work} in one transaction holding the owner's row lock (SELECT ... FOR UPDATE), the row made first
     * if the owner has none. Two servers making the same owner's row at once: the loser's insert fails on the key,
     * and it runs once more, finding the row.
     */
    private <T> T underOwnerLock(String operation, String owner, BiFunction<EntityManager, TokenOwnerEntity, T> work) {
        try {
            return tx.run(operation, em -> work.apply(em, lockedOwner(em, owner)));
        } catch (KeyConflictException e) {
            return tx.run(operation, em -> work.apply(em, lockedOwner(em, owner)));
        }
    }

    private static TokenOwnerEntity lockedOwner(EntityManager em, String owner) {
        TokenOwnerEntity lock = em.find(TokenOwnerEntity.class, owner, LockModeType.PESSIMISTIC_WRITE);
        if (lock == null) {
            lock = new TokenOwnerEntity(owner);
            em.persist(lock);
            em.flush();
        }
        return lock;
    }
}
