package dev.tokenauth.throttle;

import java.time.Duration;
import java.util.Optional;

/**
 * Failures counted by every node of a cluster together, in a store they share (on PostgreSQL, a table of Bucket4j
 * buckets), so that behind n nodes a guesser gets one allowance, not n. Asked only on a failure, never on a success;
 * a store that does not answer within its bound says nothing (empty), and each node's own count decides alone.
 */
public interface SharedAllowance {

    /** No shared store (embedded Derby: one node): every node counts alone. */
    SharedAllowance NONE = new SharedAllowance() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public Optional<Outcome> failed(String key, long failures, Duration window) {
            return Optional.empty();
        }

        @Override
        public void forget(String key) {
        }
    };

    /**
     * What the shared count made of one more failure.
     *
     * @param counted false when the key had no allowance left: the failure is refused cluster-wide
     * @param remaining the failures still allowed after this one
     * @param nanosToWait when not counted, how long until the next failure would be
     */
    record Outcome(boolean counted, long remaining, long nanosToWait) {
    }

    boolean enabled();

    /**
     * Counts one failure of {@code key} against {@code failures} within {@code window} (the same on every node); empty
     * when the store did not answer in time.
     */
    Optional<Outcome> failed(String key, long failures, Duration window);

    /** Forgets the failures of {@code key} (a success that resets them); a store that does not answer is let be. */
    void forget(String key);
}
