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
 */
public final class FailureThrottle {

    /** A throttle that never throttles. */
    public static final FailureThrottle OFF = new FailureThrottle(0, Duration.ofMinutes(1), 1, TimeMeter.SYSTEM_NANOTIME);

    private static final long MAX_KEYS = 100_000;

    private final long failures;
    private final Duration window;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /**
     * @param failures failed attempts allowed per key within {@code window}; 0 turns the throttle off
     * @param maxKeys how many keys are remembered at most (the least used are forgotten first)
     * @param time the clock of the buckets and of the cache
     */
    FailureThrottle(long failures, Duration window, long maxKeys, TimeMeter time) {
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
    }

    public static FailureThrottle of(long failures, Duration window) {
        return new FailureThrottle(failures, window, MAX_KEYS, TimeMeter.SYSTEM_NANOTIME);
    }

    public boolean enabled() {
        return failures > 0;
    }

    /** How long {@code key} must wait before its next attempt counts, or empty when it may try now. */
    public Optional<Duration> blocked(String key) {
        if (!enabled()) {
            return Optional.empty();
        }
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return Optional.empty();
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return nanos == 0 ? Optional.empty() : Optional.of(roundedUp(nanos));
    }

    /** Counts a failed attempt of {@code key}; true when this failure used up its allowance (a lockout begins). */
    public boolean failed(String key) {
        if (!enabled()) {
            return false;
        }
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() && probe.getRemainingTokens() == 0;
    }

    /** Forgets the failures of {@code key}, after it succeeded. */
    public void succeeded(String key) {
        if (enabled()) {
            buckets.invalidate(key);
        }
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
