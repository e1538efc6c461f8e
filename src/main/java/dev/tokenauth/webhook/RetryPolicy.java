package dev.tokenauth.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a failed delivery is tried again: after {@code first}, then twice as long each time, at most
 * {@link #LONGEST_WAIT} between two attempts, until {@code giveUpAfter} has passed since the event was stored; then
 * never again.
 *
 * @param first the wait after the first failed attempt
 * @param giveUpAfter how long after the event no attempt is made any more
 */
public record RetryPolicy(Duration first, Duration giveUpAfter) {

    /** The longest wait between two attempts. */
    public static final Duration LONGEST_WAIT = Duration.ofHours(1);

    public RetryPolicy {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first wait must be positive");
        }
    }

    /**
     * The time of the next attempt after {@code failedAttempts} failed ones (1 after the first), or empty when that
     * time would be past the give-up bound: the event has failed for good.
     */
    public Optional<Instant> next(int failedAttempts, Instant storedAt, Instant now) {
        Duration wait = LONGEST_WAIT;
        // 2^(n-1) times the first wait, without overflowing on the way to the bound.
        if (failedAttempts - 1 < 40) {
            Duration doubled = first.multipliedBy(1L << Math.max(0, failedAttempts - 1));
            if (doubled.compareTo(LONGEST_WAIT) < 0) {
                wait = doubled;
            }
        }
        Instant next = now.plus(wait);
        return next.isAfter(storedAt.plus(giveUpAfter)) ? Optional.empty() : Optional.of(next);
    }
}
