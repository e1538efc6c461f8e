package dev.tokenauth.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

/**
 * What authentication needs of the tokens presented lately, by digest, so that a request with a known token does
 * not wait on the database: the token's id, owner, display prefix, expiry (which a rotation shortens to the end of
 * its grace period), revocation, and whether its owner is disabled. Bounded in entries (Caffeine's W-TinyLFU keeps
 * a flood of one-off digests from evicting the tokens in use) and in age: an entry is read from the store again
 * once it is {@code ttl} old, which bounds how long a change made by another process goes unseen.
 * <p>
 * Only digests the store knows are kept. Ended tokens are kept too, as ended: revoked and expired are final (no
 * change ever revives a token), so they are refused without a read. An unknown digest is never kept: there is
 * nothing to keep it for but an attacker's guesses, and they are not repeated.
 * <p>
 * A change made in this process goes through {@link #forget}: after it the entry is gone, and a read that was under
 * way when the change happened does not put its older answer back (every change counts, and a read started before
 * the latest change keeps its answer for its own request only).
 * <p>
 * Requests for a token known as good that find its entry aged out share one read of the store: those that come while
 * it is under way wait for it, and take its answer unless a change was made since it began (then each reads for
 * itself). An unknown token is read for each request.
 */
public final class ValidationCache {

    /** No cache: every authentication reads the store, and no token is known as good. */
    public static final ValidationCache OFF = new ValidationCache(null, null);

    /**
     * How long a token that authenticated is remembered as good, to be checked even while its client address is
     * throttled (see {@link TokenAuthenticator#knownGood}).
     */
    public static final Duration KNOWN_GOOD_FOR = Duration.ofDays(1);

    private final Cache<String, TokenStore.Found> entries;
    private final Cache<String, Boolean> knownGood;
    private final AtomicLong changes = new AtomicLong();
    private final ConcurrentHashMap<String, Read> reads = new ConcurrentHashMap<>();

    private ValidationCache(Cache<String, TokenStore.Found> entries, Cache<String, Boolean> knownGood) {
        this.entries = entries;
        this.knownGood = knownGood;
    }

    /**
     * A cache of at most {@code maxEntries} tokens, each read again once {@code ttl} old by {@code ticker}; OFF
     * when {@code maxEntries} is zero. With a {@code ttl} of zero nothing is cached, but up to {@code maxEntries}
     * digests are still remembered as good: that memory never makes a token work, it only lets it be checked.
     */
    public static ValidationCache of(long maxEntries, Duration ttl, Ticker ticker) {
        if (maxEntries < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("cache size and age must not be negative");
        }
        if (maxEntries == 0) {
            return OFF;
        }
        Cache<String, Boolean> knownGood = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(KNOWN_GOOD_FOR)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
        if (ttl.isZero()) {
            return new ValidationCache(null, knownGood);
        }
        return new ValidationCache(Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(ticker)
                // Upkeep on the calling thread: no task of ours on the JVM's common pool, where it would outlive
                // an undeployed application.
                .executor(Runnable::run)
                .recordStats()
                .build(), knownGood);
    }

    public boolean enabled() {
        return entries != null;
    }

    /** The token with this digest: from the cache while fresh, else from {@code store}, then kept if known. */
    Optional<TokenStore.Found> find(String digest, Function<String, Optional<TokenStore.Found>> store) {
        return lookUp(digest, store).found();
    }

    /**
     * What {@link #find} answered, and whether from an entry kept since an earlier read. A kept entry answers every
     * request as it answered the request that read it, which (when the token authenticated) {@linkplain #vouchFor
     * vouched for it} then: requests served from it need not vouch again, and a valid token's request makes one
     * cache lookup, not two. (Were the digest forgotten as good meanwhile, it is remembered again at the next read, at
     * most the entries' age later.)
     */
    record Lookup(Optional<TokenStore.Found> found, boolean kept) {
    }

    /** As {@link #find}, saying whether the answer came from a kept entry. */
    Lookup lookUp(String digest, Function<String, Optional<TokenStore.Found>> store) {
        if (entries == null) {
            return new Lookup(store.apply(digest), false);
        }
        TokenStore.Found cached = entries.getIfPresent(digest);
        if (cached != null) {
            return new Lookup(Optional.of(cached), true);
        }
        return new Lookup(findAgedOut(digest, store), false);
    }

    /** The token with this digest, which has no fresh entry. */
    private Optional<TokenStore.Found> findAgedOut(String digest, Function<String, Optional<TokenStore.Found>> store) {
        if (!knowsGood(digest)) {
            // One read each: an unknown token is a guess, and a guess shares nothing with another request.
            return read(digest, store, changes.get());
        }
        // A token in use whose entry has just aged out: every request that comes for it while the store is being read
        // would read it too (hundreds a second under load, the profile showed, each slower for the others). They
        // wait for the one read instead, as long as that read takes (bounded as every wait on the database is), and
        // share its answer or its failure.
        long changesBefore = changes.get();
        Read mine = new Read(changesBefore, new CompletableFuture<>());
        Read underWay = reads.putIfAbsent(digest, mine);
        if (underWay != null) {
            if (underWay.changesBefore() != changesBefore) {
                // A change made since that read began may have missed it: no use waiting for it.
                return read(digest, store, changesBefore);
            }
            Optional<TokenStore.Found> shared = underWay.await();
            // The same, for a change made while this request waited.
            return changes.get() == underWay.changesBefore() ? shared : read(digest, store, changes.get());
        }
        Optional<TokenStore.Found> found = null;
        Throwable failure = null;
        try {
            found = read(digest, store, changesBefore);
            return found;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            reads.remove(digest, mine);
            // Whatever ended the read, no request is left waiting for it.
            if (failure == null) {
                mine.answer().complete(found);
            } else {
                mine.answer().completeExceptionally(failure);
            }
        }
    }

    /** A read of the store under way, and the count of changes when it began. */
    private record Read(long changesBefore, CompletableFuture<Optional<TokenStore.Found>> answer) {
        Optional<TokenStore.Found> await() {
            try {
                return answer.join();
            } catch (CompletionException e) {
                // The reader's own exception (the store unavailable: this request fails closed too).
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }

    /** Reads {@code digest} from the store and keeps it if known, unless a change was made since {@code changesBefore}. */
    private Optional<TokenStore.Found> read(String digest, Function<String, Optional<TokenStore.Found>> store,
            long changesBefore) {
        Optional<TokenStore.Found> found = store.apply(digest);
        found.ifPresent(f -> {
            entries.put(digest, f);
            // A change made while the store was being read may have missed this entry: drop it again.
            if (changes.get() != changesBefore) {
                entries.asMap().remove(digest, f);
            }
        });
        return found;
    }

    /** Remembers the token with this digest as good: it has just authenticated a request. */
    void vouchFor(String digest) {
        if (knownGood != null && knownGood.getIfPresent(digest) == null) {
            knownGood.put(digest, Boolean.TRUE);
        }
    }

    /** Whether the token with this digest authenticated a request within {@link #KNOWN_GOOD_FOR}. */
    boolean knowsGood(String digest) {
        return knownGood != null && knownGood.getIfPresent(digest) != null;
    }

    /** Forgets the token named by {@code ref}, after a change to it (or an attempt whose outcome is unknown). */
    void forget(TokenRef ref) {
        if (ref instanceof TokenRef.ByDigest d) {
            forgetDigest(d.digest());
        } else if (ref instanceof TokenRef.ById i) {
            forgetToken(i.id());
        }
    }

    /** Forgets the token with this id: it ended, here or on another server. */
    public void forgetToken(long id) {
        forgetWhere(f -> f.token().id() == id);
    }

    /** Forgets every token of {@code owner}: all were revoked, or the owner was disabled. */
    public void forgetOwner(String owner) {
        forgetWhere(f -> f.token().owner().equals(owner));
    }

    /**
     * Forgets everything: changes made elsewhere may have gone unannounced (the channel that carries them was
     * down), so nothing read before now is trusted any longer.
     */
    public void forgetAll() {
        forgetWhere(f -> true);
    }

    private void forgetDigest(String digest) {
        if (entries == null || digest == null) {
            return;
        }
        changes.incrementAndGet();
        entries.invalidate(digest);
    }

    private void forgetWhere(Predicate<TokenStore.Found> which) {
        if (entries == null) {
            return;
        }
        changes.incrementAndGet();
        entries.asMap().values().removeIf(which);
    }

    /** Hits, misses and evictions so far; all zero when off. */
    public CacheStats stats() {
        return entries == null ? CacheStats.empty() : entries.stats();
    }

    /** How many tokens are kept now (approximately, as Caffeine counts). */
    public long size() {
        return entries == null ? 0 : entries.estimatedSize();
    }
}
