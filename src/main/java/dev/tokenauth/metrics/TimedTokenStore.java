package dev.tokenauth.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.token.NewToken;
import dev.tokenauth.token.Revocation;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenQuery;
import dev.tokenauth.token.TokenRef;
import dev.tokenauth.token.TokenStore;
import io.micrometer.core.instrument.Timer;

/**
 * A {@link TokenStore} that times {@link #findByDigest}, the lookup authentication makes when the validation cache
 * has no fresh entry (or on every request when the cache is off), by its result; everything else is passed on
 * untouched. Costs two {@code System.nanoTime()} calls and no allocation per lookup.
 */
final class TimedTokenStore implements TokenStore {

    private final TokenStore store;
    private final Timer found;
    private final Timer notFound;
    private final Timer failed;

    TimedTokenStore(TokenStore store, Timer found, Timer notFound, Timer failed) {
        this.store = Objects.requireNonNull(store, "store");
        this.found = found;
        this.notFound = notFound;
        this.failed = failed;
    }

    @Override
    public Optional<Found> findByDigest(String digest) {
        long start = System.nanoTime();
        Optional<Found> result;
        try {
            result = store.findByDigest(digest);
        } catch (StoreUnavailableException e) {
            failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
        (result.isPresent() ? found : notFound).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }

    @Override
    public Optional<TokenInfo> create(String owner, Long parentId, Function<Optional<TokenInfo>, Creation> make,
            int limit) {
        return store.create(owner, parentId, make, limit);
    }

    @Override
    public Optional<TokenInfo> revoke(String owner, TokenRef ref, Revocation revocation, AuditEvent event) {
        return store.revoke(owner, ref, revocation, event);
    }

    @Override
    public List<TokenInfo> revokeAll(String owner, Revocation revocation, AuditEvent event) {
        return store.revokeAll(owner, revocation, event);
    }

    @Override
    public List<TokenInfo> revokeFamily(String owner, long family, Revocation revocation, AuditEvent first,
            AuditEvent event) {
        return store.revokeFamily(owner, family, revocation, first, event);
    }

    @Override
    public Rotation rotate(String owner, TokenRef ref, NewToken successor, Instant oldEndsAt, int limit,
            AuditEvent event) {
        return store.rotate(owner, ref, successor, oldEndsAt, limit, event);
    }

    @Override
    public List<TokenInfo> listActive(String owner, Instant now) {
        return store.listActive(owner, now);
    }

    @Override
    public Optional<TokenInfo> find(String owner, long id) {
        return store.find(owner, id);
    }

    @Override
    public List<TokenInfo> listRevoked(String owner, int limit) {
        return store.listRevoked(owner, limit);
    }

    @Override
    public Optional<TokenInfo> findById(long id) {
        return store.findById(id);
    }

    @Override
    public List<TokenInfo> inventory(TokenQuery query) {
        return store.inventory(query);
    }

    @Override
    public void recordLastUse(Map<Long, Instant> lastUse, Map<Long, Map<String, Instant>> addresses, int keep) {
        store.recordLastUse(lastUse, addresses, keep);
    }

    @Override
    public Map<Long, List<TokenInfo.UsedFrom>> usedFrom(Collection<Long> tokenIds) {
        return store.usedFrom(tokenIds);
    }

    @Override
    public int capLifetimes(Duration maxLifetime) {
        return store.capLifetimes(maxLifetime);
    }

    @Override
    public List<TokenInfo> noteExpired(Instant now) {
        return store.noteExpired(now);
    }

    @Override
    public List<TokenInfo> warnOfExpiry(Instant now, Duration within) {
        return store.warnOfExpiry(now, within);
    }

    @Override
    public int purgeEndedBefore(Instant cutoff) {
        return store.purgeEndedBefore(cutoff);
    }
}
