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
        boolean expiryNoted;

        Row(long id, NewToken token) {
            this.id = id;
            this.token = token;
            this.label = token.label();
            this.expiresAt = token.expiresAt();
        }

        TokenInfo info() {
            return new TokenInfo(id, token.displayPrefix(), token.owner(), label, token.createdAt(),
                    token.createdByTokenId(), expiresAt, lastUsedAt, revokedAt, rotatedTo, token.scopes());
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
    public synchronized Optional<TokenInfo> revoke(String owner, TokenRef ref, Instant at, AuditEvent event) {
        calls++;
        Optional<Row> row = find(owner, ref).filter(r -> r.info().activeAt(at));
        row.ifPresent(r -> {
            r.revokedAt = at;
            events.add(event.withToken(r.id, r.token.displayPrefix()));
        });
        return row.map(Row::info);
    }

    @Override
    public synchronized List<TokenInfo> revokeAll(String owner, Instant at, AuditEvent event) {
        calls++;
        List<TokenInfo> revoked = new ArrayList<>();
        for (Row r : rows) {
            if (r.token.owner().equals(owner) && r.info().activeAt(at)) {
                r.revokedAt = at;
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
            return Rotation.failed(Rotation.Outcome.ALREADY_ROTATED);
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
    public void recordLastUse(Map<Long, Instant> lastUse) {
        duringLastUseWrite.run();
        writeLastUse(lastUse);
    }

    private synchronized void writeLastUse(Map<Long, Instant> lastUse) {
        calls++;
        lastUse.forEach((id, at) -> rows.stream().filter(r -> r.id == id).forEach(r -> {
            if (r.lastUsedAt == null || at.isAfter(r.lastUsedAt)) {
                r.lastUsedAt = at;
            }
        }));
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
