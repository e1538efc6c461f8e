package dev.tokenauth.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.tokenauth.audit.AuditEvent;

/**
 * A {@link TokenStore} in a list, with the same rules as the JPA store, which counts every call so that tests
 * can prove it was never asked, and keeps the audit events it was given.
 */
public final class InMemoryTokenStore implements TokenStore {

    /** One stored token, exactly as the service handed it over, plus what the store adds. */
    static final class Row {
        final long id;
        final NewToken token;
        String label;
        Instant expiresAt;
        Instant lastUsedAt;
        Instant revokedAt;
        Long rotatedTo;
        Long rotatedFrom;
        Long family;
        String revokedBy;
        String revokeReason;
        final Map<String, Instant> addresses = new java.util.HashMap<>();
        boolean expiryNoted;
        boolean expiryWarned;

        Row(long id, NewToken token) {
            this.id = id;
            this.token = token;
            this.label = token.label();
            this.expiresAt = token.expiresAt();
        }

        TokenInfo info() {
            return new TokenInfo(id, token.displayPrefix(), token.owner(), label, token.createdAt(),
                    token.createdByTokenId(), expiresAt, lastUsedAt, revokedAt, rotatedTo, token.scopes(), rotatedFrom,
                    family, revokedBy, revokeReason, List.of());
        }

        void revoke(Revocation revocation) {
            revokedAt = revocation.at();
            revokedBy = revocation.by();
            revokeReason = revocation.reason();
        }
    }

    final List<Row> rows = new ArrayList<>();
    final List<AuditEvent> events = new ArrayList<>();
    int calls;
    /** Runs once a lookup by digest has read, before it answers: what other threads do meanwhile. */
    Runnable duringFind = () -> { };
    /** When true, lookups by digest fail as a database that does not answer. */
    volatile boolean lookupsFail;
    /** Runs as a last-use write begins, before anything is written: what other threads do meanwhile. */
    Runnable duringLastUseWrite = () -> { };
    private long nextId = 1;
    private final Predicate<String> disabledOwners;

    /** A store whose token owners are never disabled. */
    public InMemoryTokenStore() {
        this(owner -> false);
    }

    /** A store that sees its owners' disabled flag as {@code disabledOwners} tells, like the users table. */
    public InMemoryTokenStore(Predicate<String> disabledOwners) {
        this.disabledOwners = disabledOwners;
    }

    /** The audit events stored with the changes, oldest first. */
    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized Optional<TokenInfo> create(String owner, Long parentId,
            Function<Optional<TokenInfo>, Creation> make, int limit) {
        calls++;
        Creation creation = make.apply(parentId == null ? Optional.empty() : find(owner, parentId));
        if (countActive(owner, creation.token().createdAt()) >= limit) {
            return Optional.empty();
        }
        Row row = add(creation.token());
        events.add(creation.event().withToken(row.id, creation.token().displayPrefix()));
        return Optional.of(row.info());
    }

    @Override
    public Optional<Found> findByDigest(String digest) {
        if (lookupsFail) {
            throw new dev.tokenauth.StoreUnavailableException("token lookup", new java.sql.SQLException("down"));
        }
        Optional<Found> found = read(digest);
        duringFind.run();
        return found;
    }

    private synchronized Optional<Found> read(String digest) {
        calls++;
        return rows.stream().filter(r -> r.token.digest().equals(digest)).findFirst()
                .map(r -> new Found(r.info(), disabledOwners.test(r.token.owner())));
    }

    @Override
    public synchronized Optional<TokenInfo> revoke(String owner, TokenRef ref, Revocation revocation,
            AuditEvent event) {
        calls++;
        Optional<Row> row = find(owner, ref).filter(r -> r.info().activeAt(revocation.at()));
        row.ifPresent(r -> {
            r.revoke(revocation);
            events.add(event.withToken(r.id, r.token.displayPrefix()));
        });
        return row.map(Row::info);
    }

    @Override
    public synchronized List<TokenInfo> revokeAll(String owner, Revocation revocation, AuditEvent event) {
        calls++;
        List<TokenInfo> revoked = new ArrayList<>();
        for (Row r : rows) {
            if (r.token.owner().equals(owner) && r.info().activeAt(revocation.at())) {
                r.revoke(revocation);
                events.add(event.withToken(r.id, r.token.displayPrefix()));
                revoked.add(r.info());
            }
        }
        return revoked;
    }

    @Override
    public synchronized List<TokenInfo> revokeFamily(String owner, long family, Revocation revocation,
            AuditEvent first, AuditEvent event) {
        calls++;
        events.add(first);
        List<TokenInfo> revoked = new ArrayList<>();
        for (Row r : rows) {
            if (r.token.owner().equals(owner) && r.info().family() == family && r.info().activeAt(revocation.at())) {
                r.revoke(revocation);
                events.add(event.withToken(r.id, r.token.displayPrefix()));
                revoked.add(r.info());
            }
        }
        return revoked;
    }

    @Override
    public synchronized Rotation rotate(String owner, TokenRef ref, NewToken successor, Instant oldEndsAt,
            int limit, AuditEvent event) {
        calls++;
        Instant now = successor.createdAt();
        Optional<Row> found = find(owner, ref).filter(r -> r.revokedAt == null);
        if (found.isEmpty()) {
            return Rotation.failed(Rotation.Outcome.NOT_FOUND);
        }
        Row old = found.get();
        if (old.rotatedTo != null) {
            return Rotation.alreadyRotated(old.info());
        }
        if (!old.info().activeAt(now)) {
            return Rotation.failed(Rotation.Outcome.NOT_FOUND);
        }
        if (countActive(owner, now) > limit) {
            return Rotation.failed(Rotation.Outcome.LIMIT_REACHED);
        }
        Row created = add(successor);
        if (created.label == null) {
            created.label = old.label;
        }
        old.rotatedTo = created.id;
        created.rotatedFrom = old.id;
        created.family = old.info().family();
        if (old.expiresAt == null || oldEndsAt.isBefore(old.expiresAt)) {
            old.expiresAt = oldEndsAt;
        }
        events.add(TokenEvents.createdByRotation(event, old.info(), created.info()));
        events.add(TokenEvents.rotated(event, old.info(), created.info()));
        return new Rotation(Rotation.Outcome.ROTATED, old.info(), created.info());
    }

    @Override
    public synchronized List<TokenInfo> listActive(String owner, Instant now) {
        calls++;
        return rows.stream().map(Row::info).filter(t -> t.owner().equals(owner) && t.activeAt(now)).toList();
    }

    @Override
    public synchronized Optional<TokenInfo> find(String owner, long id) {
        calls++;
        return rows.stream().filter(r -> r.id == id && r.token.owner().equals(owner)).findFirst().map(Row::info);
    }

    @Override
    public synchronized List<TokenInfo> listRevoked(String owner, int limit) {
        calls++;
        return rows.stream().filter(r -> r.token.owner().equals(owner) && r.revokedAt != null)
                .sorted(java.util.Comparator.comparing((Row r) -> r.revokedAt).thenComparing(r -> r.id).reversed())
                .limit(limit).map(Row::info).toList();
    }

    @Override
    public synchronized Optional<TokenInfo> findById(long id) {
        calls++;
        return rows.stream().filter(r -> r.id == id).findFirst().map(Row::info);
    }

    @Override
    public synchronized List<TokenInfo> inventory(TokenQuery q) {
        calls++;
        return rows.stream().map(Row::info)
                .filter(t -> t.id() > q.afterId() && t.activeAt(q.now()))
                .filter(t -> q.owner() == null || t.owner().equals(q.owner()))
                .filter(t -> q.expiringBy() == null || (t.expiresAt() != null && !t.expiresAt().isAfter(q.expiringBy())))
                .filter(t -> q.unusedSince() == null
                        || !(t.lastUsedAt() != null ? t.lastUsedAt() : t.createdAt()).isAfter(q.unusedSince()))
                .filter(t -> !q.neverUsed() || t.lastUsedAt() == null)
                .filter(t -> q.scope() == null || t.scopes() == null || t.scopes().contains(q.scope()))
                .limit(q.limit())
                .toList();
    }

    @Override
    public void recordLastUse(Map<Long, Instant> lastUse, Map<Long, Map<String, Instant>> addresses, int keep) {
        duringLastUseWrite.run();
        writeLastUse(lastUse, addresses, keep);
    }

    private synchronized void writeLastUse(Map<Long, Instant> lastUse, Map<Long, Map<String, Instant>> addresses,
            int keep) {
        calls++;
        lastUse.forEach((id, at) -> rows.stream().filter(r -> r.id == id).forEach(r -> {
            if (r.lastUsedAt == null || at.isAfter(r.lastUsedAt)) {
                r.lastUsedAt = at;
            }
        }));
        addresses.forEach((id, from) -> rows.stream().filter(r -> r.id == id).forEach(r -> {
            from.forEach((address, at) -> r.addresses.merge(address, at, (a, b) -> a.isAfter(b) ? a : b));
            List<String> newestFirst = r.addresses.entrySet().stream()
                    .sorted(Map.Entry.<String, Instant>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).toList();
            newestFirst.stream().skip(keep).forEach(r.addresses::remove);
        }));
    }

    @Override
    public synchronized Map<Long, List<TokenInfo.UsedFrom>> usedFrom(java.util.Collection<Long> tokenIds) {
        calls++;
        Map<Long, List<TokenInfo.UsedFrom>> found = new java.util.HashMap<>();
        for (Row r : rows) {
            if (tokenIds.contains(r.id) && !r.addresses.isEmpty()) {
                found.put(r.id, r.addresses.entrySet().stream()
                        .map(e -> new TokenInfo.UsedFrom(e.getKey(), e.getValue()))
                        .sorted(java.util.Comparator.comparing(TokenInfo.UsedFrom::at).reversed()
                                .thenComparing(TokenInfo.UsedFrom::address))
                        .toList());
            }
        }
        return found;
    }

    @Override
    public synchronized int capLifetimes(java.time.Duration maxLifetime) {
        calls++;
        int capped = 0;
        for (Row r : rows) {
            Instant latest = r.token.createdAt().plus(maxLifetime);
            if (r.revokedAt == null && (r.expiresAt == null || r.expiresAt.isAfter(latest))) {
                r.expiresAt = latest;
                capped++;
            }
        }
        return capped;
    }

    @Override
    public synchronized List<TokenInfo> noteExpired(Instant now) {
        calls++;
        List<TokenInfo> noted = new ArrayList<>();
        for (Row r : rows) {
            if (!r.expiryNoted && r.revokedAt == null && r.expiresAt != null && !r.expiresAt.isAfter(now)) {
                r.expiryNoted = true;
                noted.add(r.info());
                events.add(TokenEvents.expired(r.info()));
            }
        }
        return noted;
    }

    @Override
    public synchronized List<TokenInfo> warnOfExpiry(Instant now, java.time.Duration within) {
        calls++;
        List<TokenInfo> warned = new ArrayList<>();
        for (Row r : rows) {
            if (!r.expiryWarned && r.revokedAt == null && r.rotatedTo == null && r.expiresAt != null
                    && r.expiresAt.isAfter(now) && !r.expiresAt.isAfter(now.plus(within))) {
                r.expiryWarned = true;
                warned.add(r.info());
                events.add(TokenEvents.expiryWarned(r.info(), now));
            }
        }
        return warned;
    }

    @Override
    public synchronized int purgeEndedBefore(Instant cutoff) {
        calls++;
        int before = rows.size();
        rows.removeIf(r -> (r.revokedAt != null && r.revokedAt.isBefore(cutoff))
                || (r.expiresAt != null && r.expiresAt.isBefore(cutoff)));
        return before - rows.size();
    }

    Row row(long id) {
        return rows.stream().filter(r -> r.id == id).findFirst().orElseThrow();
    }

    private Row add(NewToken token) {
        Row row = new Row(nextId++, token);
        rows.add(row);
        return row;
    }

    private Optional<Row> find(String owner, TokenRef ref) {
        return rows.stream()
                .filter(r -> r.token.owner().equals(owner))
                .filter(r -> ref instanceof TokenRef.ById i ? r.id == i.id()
                        : r.token.digest().equals(((TokenRef.ByDigest) ref).digest()))
                .findFirst();
    }

    private long countActive(String owner, Instant now) {
        return rows.stream().map(Row::info)
                .filter(t -> t.owner().equals(owner) && t.activeAt(now))
                .count();
    }
}
