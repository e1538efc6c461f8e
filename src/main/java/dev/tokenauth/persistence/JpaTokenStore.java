package dev.tokenauth.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.config.Setting;
import dev.tokenauth.token.NewToken;
import dev.tokenauth.token.Revocation;
import dev.tokenauth.token.TokenEvents;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenQuery;
import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenStore;
import dev.tokenauth.token.TokenStore.Rotation.Outcome;
import dev.tokenauth.webhook.WebhookSubscription;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

/** {@link TokenStore} on Jakarta Persistence. */
public final class JpaTokenStore implements TokenStore {

    private final Transactions tx;
    private final AuditRecords records;
    private final CreationBatches batches;

    public JpaTokenStore(Database database) {
        this(database, WebhookSubscription.NONE);
    }

    /** @param webhook the events that also go into the webhook's outbox, each with its change */
    public JpaTokenStore(Database database, WebhookSubscription webhook) {
        this(database.transactions(), new AuditRecords(webhook), database.timeout());
    }

    /** The store of the tests: waits for an owner's earlier creations as long as the default database timeout. */
    JpaTokenStore(Transactions tx) {
        this(tx, AuditRecords.WITHOUT_WEBHOOK);
    }

    JpaTokenStore(Transactions tx, AuditRecords records) {
        this(tx, records, Duration.ofSeconds(Long.parseLong(Setting.DB_TIMEOUT.defaultValue())));
    }

    /** @param timeout the longest wait of a creation for the owner's earlier ones (the database's timeout) */
    JpaTokenStore(Transactions tx, AuditRecords records, Duration timeout) {
        this.tx = tx;
        this.records = records;
        this.batches = new CreationBatches(this::createBatch, timeout, e -> tx.timedOut("token create", e));
    }

    @Override
    public Optional<TokenInfo> create(String owner, Long parentId, Function<Optional<TokenInfo>, Creation> make,
            int limit) {
        return batches.create(owner, new CreationBatches.Pending(parentId, make, limit));
    }

    /** The creations that join one transaction when they wait for one owner's turn. */
    CreationBatches batches() {
        return batches;
    }

    /**
     * The classes of SQL states in which the database refused one statement for what it carried (a value too long,
     * a key taken, a statement it cannot run): one creation's doing, not the database's failure.
     */
    private static final Set<String> REFUSED_STATEMENT = Set.of("22", "23", "42");

    /**
     * Settles each creation of the batch: one of its own, as it always was, or several in one transaction. When the
     * database refuses a statement of the batch, or the program fails in it, each creation is made again on its own
     * (nothing of the batch was stored), so that only the one at fault fails; when the database fails, each fails.
     */
    private void createBatch(String owner, List<CreationBatches.Pending> batch) {
        if (batch.size() == 1) {
            createAlone(owner, batch.get(0));
            return;
        }
        List<Made> made;
        try {
            made = runAgainAfterKeyConflict("token create", em -> createTogether(em, owner, batch));
        } catch (StoreUnavailableException e) {
            if (SqlStates.anyOfClass(e, REFUSED_STATEMENT)) {
                batch.forEach(p -> createAlone(owner, p));
            } else {
                // Each its own exception, so that no request's handling shows in another's.
                batch.forEach(p -> p.failed(new StoreUnavailableException("token create", e.getCause())));
            }
            return;
        } catch (RuntimeException e) {
            batch.forEach(p -> createAlone(owner, p));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            made.get(i).settle(batch.get(i));
        }
    }

    private void createAlone(String owner, CreationBatches.Pending pending) {
        try {
            pending.created(runAgainAfterKeyConflict("token create",
                    em -> create(em, owner, pending.parentId, pending.make, pending.limit)));
        } catch (RuntimeException e) {
            pending.failed(e);
        }
    }

    /**
     * Runs {@code work}, and once more when it lost a race for a new row's key (another server made the owner's row,
     * {@link #lockedOwner}, or a token's address at the same time): the second run finds that row.
     */
    private <T> T runAgainAfterKeyConflict(String operation, Function<EntityManager, T> work) {
        try {
            return tx.run(operation, work);
        } catch (KeyConflictException e) {
            return tx.run(operation, work);
        }
    }

    /** What one creation of a batch came to; settled only once the batch's transaction committed. */
    private record Made(Optional<TokenInfo> created, RuntimeException refused) {
        void settle(CreationBatches.Pending pending) {
            if (refused != null) {
                pending.failed(refused);
            } else {
                pending.created(created);
            }
        }
    }

    /**
     * The creations of a batch, one after the other under the owner's lock taken first: each reads its creating
     * token (once for the batch: under the owner's lock it cannot change) and is checked ({@code make}) before
     * anything of it is stored, so that a rule it breaks (or an exception of {@code make}), or the limit, ends it
     * alone and leaves the others and the owner's bound as they were. Each token and its event are flushed before
     * the next, so that ids and the audit trail follow the order of arrival.
     */
    private List<Made> createTogether(EntityManager em, String owner, List<CreationBatches.Pending> batch) {
        TokenOwnerEntity lock = lockedOwner(em, owner);
        Map<Long, Optional<TokenInfo>> parents = new HashMap<>();
        List<Made> made = new ArrayList<>(batch.size());
        // The batch's tokens not yet in the owner's bound: added once, at the end, so that each flush of a token
        // does not write the owner's row again.
        int unwritten = 0;
        for (CreationBatches.Pending pending : batch) {
            Optional<TokenInfo> parent = pending.parentId == null ? Optional.empty()
                    : parents.computeIfAbsent(pending.parentId, id -> byOwnerAndId(em, owner, id));
            Creation creation;
            try {
                creation = pending.make.apply(parent);
            } catch (RuntimeException e) { // a rule it breaks (TokenRuleViolation), or the program's fault
                made.add(new Made(Optional.empty(), e));
                continue;
            }
            int most = pending.limit - 1;
            if (!lock.atMost(most - unwritten)) {
                // Counted with this batch's tokens so far, which are flushed: the bound is exact again.
                long active = countActive(em, owner, creation.token().createdAt());
                lock.counted(active);
                unwritten = 0;
                if (active > most) {
                    made.add(new Made(Optional.empty(), null));
                    continue;
                }
            }
            unwritten++;
            made.add(new Made(Optional.of(stored(em, creation)), null));
        }
        lock.added(unwritten);
        return made;
    }

    /** Stores the token and its audit event; the token as stored, with its id. */
    private TokenInfo stored(EntityManager em, Creation creation) {
        TokenEntity entity = new TokenEntity(creation.token());
        em.persist(entity);
        em.flush();
        TokenInfo info = entity.toInfo();
        records.add(em, creation.event().withToken(info.id(), info.displayPrefix()));
        return info;
    }

    private Optional<TokenInfo> create(EntityManager em, String owner, Long parentId,
            Function<Optional<TokenInfo>, Creation> make, int limit) {
        // Most creations: one statement locks the owner's row and counts the new token, while the owner's bound
        // leaves room; no entity of the owner is read, nor compared at the commit. Otherwise (no row yet, a bound not
        // known, at the limit): the row locked and read, and counted if need be, as every other change of the
        // owner's tokens does. A rule the creation breaks (make throws TokenRuleViolation) rolls the count back with
        // the transaction.
        boolean counted = em.createNamedQuery(TokenOwnerEntity.ADD_ONE_WITHIN)
                .setParameter(1, owner)
                .setParameter(2, limit - 1)
                .executeUpdate() == 1;
        TokenOwnerEntity lock = counted ? null : lockedOwner(em, owner);
        Optional<TokenInfo> parent = parentId == null ? Optional.empty() : byOwnerAndId(em, owner, parentId);
        Creation creation = make.apply(parent);
        if (!counted) {
            if (!admits(em, lock, creation.token().createdAt(), limit - 1)) {
                return Optional.empty();
            }
            lock.added(1);
        }
        return Optional.of(stored(em, creation));
    }

    @Override
    public Optional<Found> findByDigest(String digest) {
        // The owner is read only for a token found: an unknown digest (a guess, a flood of them) costs one index
        // probe, not a join, and a known one is read once per cache age.
        return tx.run("token lookup", em -> em.createNamedQuery(TokenEntity.FIND_BY_DIGEST, TokenEntity.class)
                .setParameter("digest", digest)
                .getResultStream()
                .findFirst()
                .map(TokenEntity::toInfo)
                .map(token -> new Found(token, ownerDisabled(em, token.owner()))));
    }

    /** Whether the owner is a user who is disabled; an owner who is no user of ours (another application's) is not. */
    private static boolean ownerDisabled(EntityManager em, String owner) {
        return em.createNamedQuery(UserEntity.DISABLED, Boolean.class).setParameter("username", owner)
                .getResultStream().anyMatch(Boolean.TRUE::equals);
    }

    @Override
    public Optional<TokenInfo> revoke(String owner, TokenRef ref, Revocation revocation, AuditEvent event) {
        Instant at = revocation.at();
        // The owner's row first, as in every change of the owner's tokens: one lock order, no deadlock.
        return tx.run("token revoke", em -> {
            TokenOwnerEntity lock = em.find(TokenOwnerEntity.class, owner, LockModeType.PESSIMISTIC_WRITE);
            return find(em, owner, ref)
                    .filter(t -> t.activeAt(at))
                    .map(t -> {
                        if (lock != null) {
                            lock.ended(1);
                        }
                        t.revoke(revocation);
                        TokenInfo info = t.toInfo();
                        records.add(em, event.withToken(info.id(), info.displayPrefix()));
                        return info;
                    });
        });
    }

    @Override
    public List<TokenInfo> revokeAll(String owner, Revocation revocation, AuditEvent event) {
        // Under the owner's lock, so that no token created meanwhile escapes.
        return underOwnerLock("token revoke all", owner, (em, lock) -> revokeEach(em, lock,
                em.createNamedQuery(TokenEntity.LOCK_ACTIVE_BY_OWNER, TokenEntity.class)
                        .setParameter("owner", owner)
                        .setParameter("now", revocation.at()), revocation, event));
    }

    @Override
    public List<TokenInfo> revokeFamily(String owner, long family, Revocation revocation, AuditEvent first,
            AuditEvent event) {
        // Under the owner's lock, as a rotation is: no successor made meanwhile escapes.
        return underOwnerLock("token family revoke", owner, (em, lock) -> {
            records.add(em, first);
            em.flush();
            return revokeEach(em, lock, em.createNamedQuery(TokenEntity.LOCK_ACTIVE_IN_FAMILY, TokenEntity.class)
                    .setParameter("owner", owner)
                    .setParameter("family", family)
                    .setParameter("now", revocation.at()), revocation, event);
        });
    }

    /** Revokes the tokens {@code active} finds (locking them), each with its event; in id order. */
    private List<TokenInfo> revokeEach(EntityManager em, TokenOwnerEntity lock,
            TypedQuery<TokenEntity> active, Revocation revocation, AuditEvent event) {
        List<TokenEntity> found = new ArrayList<>(active.setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
        found.sort(java.util.Comparator.comparing(TokenEntity::getId));
        lock.ended(found.size());
        for (TokenEntity t : found) {
            t.revoke(revocation);
            records.add(em, event.withToken(t.getId(), t.toInfo().displayPrefix()));
            em.flush();
        }
        return found.stream().map(TokenEntity::toInfo).toList();
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
                return Rotation.alreadyRotated(old.toInfo());
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
            created.succeed(old);
            em.persist(created);
            lock.added(1);
            em.flush();
            old.rotateTo(created.getId(), oldEndsAt);
            TokenInfo oldInfo = old.toInfo();
            TokenInfo createdInfo = created.toInfo();
            // Flushed one by one so that the trail reads in order: the successor's creation, then the rotation.
            records.add(em, TokenEvents.createdByRotation(event, oldInfo, createdInfo));
            em.flush();
            records.add(em, TokenEvents.rotated(event, oldInfo, createdInfo));
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
    public List<TokenInfo> listRevoked(String owner, int limit) {
        return tx.run("token list revoked", em -> em.createNamedQuery(TokenEntity.LIST_REVOKED_BY_OWNER,
                TokenEntity.class)
                .setParameter("owner", owner)
                .setMaxResults(limit)
                .getResultStream()
                .map(TokenEntity::toInfo)
                .toList());
    }

    @Override
    public Optional<TokenInfo> findById(long id) {
        return tx.run("token find", em -> em.createNamedQuery(TokenEntity.FIND_BY_ID, TokenEntity.class)
                .setParameter("id", id)
                .getResultStream()
                .findFirst()
                .map(TokenEntity::toInfo));
    }

    @Override
    public List<TokenInfo> inventory(TokenQuery q) {
        return tx.run("token inventory", em -> InventoryQuery.of(em, q).getResultStream()
                .map(TokenEntity::toInfo)
                .toList());
    }

    @Override
    public Map<Long, List<TokenInfo.UsedFrom>> usedFrom(Collection<Long> tokenIds) {
        return tx.run("token addresses", em -> {
            Map<Long, List<TokenInfo.UsedFrom>> found = new HashMap<>();
            em.createNamedQuery(TokenAddressEntity.OF_TOKENS, TokenAddressEntity.class)
                    .setParameter("ids", List.copyOf(tokenIds))
                    .getResultStream()
                    .forEach(a -> found.computeIfAbsent(a.tokenId(), id -> new ArrayList<>())
                            .add(new TokenInfo.UsedFrom(a.address(), a.lastAt())));
            return found;
        });
    }

    @Override
    public int capLifetimes(java.time.Duration maxLifetime) {
        long max = maxLifetime.toMillis();
        // Native: the arithmetic is on the stored milliseconds, which JPQL sees only as converted Instants.
        return tx.run("token lifetime cap", em -> em.createNativeQuery("UPDATE TA_TOKEN"
                + " SET EXPIRES_AT_MS = CREATED_AT_MS + ?1 WHERE REVOKED_AT_MS IS NULL AND CREATED_AT_MS IS NOT NULL"
                + " AND (EXPIRES_AT_MS IS NULL OR EXPIRES_AT_MS > CREATED_AT_MS + ?2)")
                .setParameter(1, max)
                .setParameter(2, max)
                .executeUpdate());
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
    public void recordLastUse(Map<Long, Instant> lastUse, Map<Long, Map<String, Instant>> addresses, int keep) {
        // One transaction, so that the last write at a JVM stop is as short as it was before addresses. Token rows are
        // locked in id order, so two servers never deadlock, and add a token's addresses one after the other; a
        // conflict on an address's key all the same runs the write once more (it moves nothing backwards).
        runAgainAfterKeyConflict("token last use", em -> writeUses(em, lastUse, addresses, keep));
    }

    private static Void writeUses(EntityManager em, Map<Long, Instant> lastUse,
            Map<Long, Map<String, Instant>> addresses, int keep) {
        for (Map.Entry<Long, Instant> use : new TreeMap<>(lastUse).entrySet()) {
            em.createNamedQuery(TokenEntity.RECORD_LAST_USE)
                    .setParameter("at", use.getValue())
                    .setParameter("id", use.getKey())
                    .executeUpdate();
        }
        if (keep > 0 && !addresses.isEmpty()) {
            recordAddresses(em, addresses, keep);
        }
        return null;
    }

    /**
     * Takes, once at start, the parts of the last-use write that no request takes before it (the addresses' composite
     * key, read under a lock; an insert and a delete of an address), so that their classes are loaded when a JVM
     * shutdown hook writes the last batch: by then a web application's class loader may load nothing more (Payara
     * Micro, on SIGTERM). Leaves nothing behind.
     */
    public void prepareTheStopPath() {
        tx.run("token addresses at start", em -> {
            em.find(TokenEntity.class, -1L, LockModeType.PESSIMISTIC_WRITE);
            em.find(TokenAddressEntity.class, new TokenAddressEntity.Key(-1L, "-"), LockModeType.PESSIMISTIC_WRITE);
            em.createNamedQuery(TokenAddressEntity.OF_TOKEN, TokenAddressEntity.class).setParameter("id", -1L)
                    .getResultList();
            // An address row made and taken away in the same transaction: the insert and the delete of this table are
            // prepared once here, and nothing is left.
            TokenAddressEntity probe = new TokenAddressEntity(-1L, "-", Instant.EPOCH);
            em.persist(probe);
            em.flush();
            em.remove(probe);
            em.flush();
            return null;
        });
    }

    /** Adds or moves forward each address, then keeps the {@code keep} most recent of each token. */
    private static Void recordAddresses(EntityManager em, Map<Long, Map<String, Instant>> addresses, int keep) {
        for (Map.Entry<Long, Map<String, Instant>> token : new TreeMap<>(addresses).entrySet()) {
            long id = token.getKey();
            // The token's row first, in id order as every writer of token rows: one node at a time changes its
            // addresses (two adding the same one deadlocked on the key's locks), and no cycle of waits can form.
            if (em.find(TokenEntity.class, id, LockModeType.PESSIMISTIC_WRITE) == null) {
                continue; // purged meanwhile: nothing to keep an address for
            }
            for (Map.Entry<String, Instant> use : new TreeMap<>(token.getValue()).entrySet()) {
                TokenAddressEntity known = em.find(TokenAddressEntity.class,
                        new TokenAddressEntity.Key(id, use.getKey()), LockModeType.PESSIMISTIC_WRITE);
                if (known == null) {
                    em.persist(new TokenAddressEntity(id, use.getKey(), use.getValue()));
                } else {
                    known.usedAt(use.getValue());
                }
            }
            em.flush();
            List<TokenAddressEntity> all = em.createNamedQuery(TokenAddressEntity.OF_TOKEN, TokenAddressEntity.class)
                    .setParameter("id", id)
                    .getResultList();
            // Loops, not lambdas, here and in what calls this: a lambda's first use links a class of its own.
            for (int i = keep; i < all.size(); i++) {
                em.remove(all.get(i));
            }
        }
        return null;
    }

    @Override
    public List<TokenInfo> noteExpired(Instant now) {
        return tx.run("token expiry", em -> noteOnce(em, em.createNamedQuery(TokenEntity.LIST_NEWLY_EXPIRED,
                TokenEntity.class).setParameter("now", now), TokenEntity.NOTE_EXPIRY, now,
                info -> records.add(em, TokenEvents.expired(info))));
    }

    @Override
    public List<TokenInfo> warnOfExpiry(Instant now, java.time.Duration within) {
        return tx.run("token expiry warning", em -> noteOnce(em, em.createNamedQuery(
                TokenEntity.LIST_EXPIRING_UNWARNED, TokenEntity.class).setParameter("now", now)
                .setParameter("until", now.plus(within)), TokenEntity.WARN_EXPIRY, now,
                info -> records.add(em, TokenEvents.expiryWarned(info, now), info.expiresAt())));
    }

    /**
     * Marks each token {@code found} finds (1000 at most) with the conditional update {@code mark}, and records the
     * ones this transaction marked: with several servers on one database, the first to update a row is the only
     * one to tell of it (the others find it marked once its lock is theirs).
     */
    private static List<TokenInfo> noteOnce(EntityManager em, TypedQuery<TokenEntity> found, String mark,
            Instant now, java.util.function.Consumer<TokenInfo> record) {
        List<TokenInfo> noted = new ArrayList<>();
        for (TokenEntity t : found.setMaxResults(1000).getResultList()) {
            int updated = em.createNamedQuery(mark)
                    .setParameter("now", now)
                    .setParameter("id", t.getId())
                    .executeUpdate();
            if (updated == 1) {
                TokenInfo info = t.toInfo();
                record.accept(info);
                noted.add(info);
            }
        }
        return noted;
    }

    @Override
    public int purgeEndedBefore(Instant cutoff) {
        return tx.run("token purge", em -> {
            em.createNamedQuery(TokenAddressEntity.PURGE_ENDED).setParameter("cutoff", cutoff).executeUpdate();
            return em.createNamedQuery(TokenEntity.PURGE_ENDED).setParameter("cutoff", cutoff).executeUpdate();
        });
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
        return runAgainAfterKeyConflict(operation, em -> work.apply(em, lockedOwner(em, owner)));
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
