package dev.tokenauth.throttle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Slows guessing: at most {@code failures} failed attempts per key (an account, a client address) within
 * {@code window}, after which the key is throttled until its allowance refills, at the same steady rate (for 30 in
 * 3 minutes, one more attempt every 6 seconds). One Bucket4j bucket per key, in a bounded Caffeine cache that
 * forgets a key a window after its last failure; successful attempts cost nothing.
 * <p>
 * {@link #failed} says when a failure uses up the allowance, so that the caller records one event per lockout,
 * never one per attempt.
 * <p>
 * With a {@link SharedAllowance} (several nodes on PostgreSQL), every failure is also counted against the key's one
 * allowance of the whole cluster, named by this throttle's name; a key that the cluster locked out is then refused
 * here too ({@link #blocked} answers from memory, never from the store). Successes cost nothing: only a success after
 * failures that this node counted tells the store to forget them. When the store does not answer, this node's own
 * bucket decides alone, as without one.
 */
public final class FailureThrottle {

    /** A throttle that never throttles. */
    public static final FailureThrottle OFF = new FailureThrottle(0, Duration.ofMinutes(1), 1, TimeMeter.SYSTEM_NANOTIME);

    /** What a failure counted for. */
    public enum Failure {
        /** Within the allowance. */
        COUNTED,
        /** It used up the allowance: a lockout begins (once per lockout, here or on the cluster). */
        USED_UP,
        /** The cluster had no allowance left for the key: refuse it as throttled. */
        REFUSED
    }

    private static final long MAX_KEYS = 100_000;

    private final long failures;
    private final Duration window;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;
    private final String name;
    private final SharedAllowance shared;
    /** Keys the cluster locked out, until when (on {@code time}, in nanoseconds). */
    private final Cache<String, Long> lockedByTheCluster;

    /**
     * @param failures failed attempts allowed per key within {@code window}; 0 turns the throttle off
     * @param maxKeys how many keys are remembered at most (the least used are forgotten first)
     * @param time the clock of the buckets and of the cache
     */
    FailureThrottle(long failures, Duration window, long maxKeys, TimeMeter time) {
        this("local", failures, window, maxKeys, time, SharedAllowance.NONE);
    }

    /**
     * @param name what the shared store knows this throttle's keys by ("token.address", "login.account", ...)
     * @param shared the cluster's count, or {@link SharedAllowance#NONE}
     */
    FailureThrottle(String name, long failures, Duration window, long maxKeys, TimeMeter time, SharedAllowance shared) {
        if (failures < 0 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("failures must be >= 0 and the window positive");
        }
        this.failures = failures;
        this.window = window;
        this.time = time;
        Ticker ticker = time::currentTimeNanos;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(window)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
        this.name = name;
        this.shared = shared;
        this.lockedByTheCluster = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterWrite(window)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    public static FailureThrottle of(long failures, Duration window) {
        return new FailureThrottle(failures, window, MAX_KEYS, TimeMeter.SYSTEM_NANOTIME);
    }

    /** A throttle named {@code name} whose failures the cluster counts too, through {@code shared}. */
    public static FailureThrottle of(String name, long failures, Duration window, SharedAllowance shared) {
        return new FailureThrottle(name, failures, window, MAX_KEYS, TimeMeter.SYSTEM_NANOTIME, shared);
    }

    /** Whether the cluster counts this throttle's failures too. */
    public boolean shared() {
        return enabled() && shared.enabled();
    }

    public boolean enabled() {
        return failures > 0;
    }

    /** How long {@code key} must wait before its next attempt counts, or empty when it may try now. */
    public Optional<Duration> blocked(String key) {
        if (!enabled()) {
            return Optional.empty();
        }
        // Quietly: a locked-out address sends its requests as fast as it can, and each recorded read of its one key
        // made the request threads queue for the cache's upkeep (over a tenth of a 429's time in the profile). The
        // key's failures, counted through get, are what keeps it fresh and weighs it for eviction; a bucket left
        // alone for the window has refilled anyway, and an address that had to fill every remembered key with
        // other addresses' failures to be forgotten had their allowances to spend already.
        Bucket bucket = buckets.policy().getIfPresentQuietly(key);
        long nanos = bucket == null ? 0 : bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        // Without a shared store nothing is ever locked by the cluster: no second lookup on every token request.
        Long clusterUntil = shared.enabled() ? lockedByTheCluster.getIfPresent(key) : null;
        if (clusterUntil != null) {
            nanos = Math.max(nanos, clusterUntil - time.currentTimeNanos());
        }
        return nanos <= 0 ? Optional.empty() : Optional.of(roundedUp(nanos));
    }

    /** Counts a failed attempt of {@code key}; true when this failure used up its allowance (a lockout begins). */
    public boolean failed(String key) {
        return count(key) == Failure.USED_UP;
    }

    /**
     * Counts a failed attempt of {@code key}, here and (with a shared store) on the cluster: {@link Failure#USED_UP}
     * when it used up the allowance, {@link Failure#REFUSED} when the cluster had none left.
     */
    public Failure count(String key) {
        if (!enabled()) {
            return Failure.COUNTED;
        }
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        boolean usedUpHere = probe.isConsumed() && probe.getRemainingTokens() == 0;
        if (!shared.enabled()) {
            return usedUpHere ? Failure.USED_UP : Failure.COUNTED;
        }
        Optional<SharedAllowance.Outcome> cluster = shared.failed(sharedKey(key), failures, window);
        if (cluster.isEmpty()) {
            return usedUpHere ? Failure.USED_UP : Failure.COUNTED;
        }
        long now = time.currentTimeNanos();
        if (!cluster.get().counted()) {
            lockedByTheCluster.put(key, now + Math.max(cluster.get().nanosToWait(), 1));
            return Failure.REFUSED;
        }
        if (cluster.get().remaining() == 0) {
            // Locked out on every node from now: this one answers its next attempts itself, the others at their next
            // failure of the key (the store refuses it). One more attempt comes back with the first refill.
            lockedByTheCluster.put(key, now + window.toNanos() / failures);
            return Failure.USED_UP;
        }
        return usedUpHere ? Failure.USED_UP : Failure.COUNTED;
    }

    /** Forgets the failures of {@code key}, after it succeeded; the cluster's too, if this node counted any. */
    public void succeeded(String key) {
        if (!enabled()) {
            return;
        }
        boolean countedHere = buckets.getIfPresent(key) != null || lockedByTheCluster.getIfPresent(key) != null;
        buckets.invalidate(key);
        lockedByTheCluster.invalidate(key);
        if (countedHere && shared.enabled()) {
            shared.forget(sharedKey(key));
        }
    }

    /**
     * The key as the shared store knows it (it digests it): the throttle's name, its allowance, and the key. A bucket
     * keeps the allowance it was made with, so applications with other allowances on the same database (or a node
     * whose allowance was changed) count in buckets of their own, never in one made for another allowance.
     */
    String sharedKey(String key) {
        return name + "/" + failures + "/" + window.toSeconds() + "\n" + key;
    }

    public long failures() {
        return failures;
    }

    public Duration window() {
        return window;
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(failures).refillGreedy(failures, window))
                .withCustomTimePrecision(time)
                .build();
    }

    /** Whole seconds, rounded up, for a Retry-After header: never 0 while throttled. */
    private static Duration roundedUp(long nanos) {
        return Duration.ofSeconds(Math.max(1, (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1)));
    }
}
