package dev.tokenauth.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Two nodes' throttles on one shared allowance, played here by Bucket4j buckets in a map (the PostgreSQL one is
 * SeveralNodesIT's): behind two nodes a guesser gets one allowance; the store is asked on failures only; a store that
 * does not answer leaves each node's own bucket in charge.
 */
class SharedFailureThrottleTest {

    private static final Duration WINDOW = Duration.ofMinutes(3);

    /** The cluster's store: one bucket per key, every call noted; down answers nothing. */
    private static final class InMemoryShared implements SharedAllowance {
        final Map<String, Bucket> buckets = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        final TimeMeter time;
        boolean down;

        InMemoryShared(TimeMeter time) {
            this.time = time;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<Outcome> failed(String key, long failures, Duration window) {
            calls.add("failed " + key);
            if (down) {
                return Optional.empty();
            }
            ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(l -> l.capacity(failures).refillGreedy(failures, window))
                    .withCustomTimePrecision(time).build()).tryConsumeAndReturnRemaining(1);
            return Optional.of(new Outcome(probe.isConsumed(), probe.getRemainingTokens(),
                    probe.getNanosToWaitForRefill()));
        }

        @Override
        public void forget(String key) {
            calls.add("forget " + key);
            buckets.remove(key);
        }
    }

    private final ManualTime time = new ManualTime();
    private final InMemoryShared store = new InMemoryShared(time);
    private final FailureThrottle nodeA = new FailureThrottle("token.address", 30, WINDOW, 1000, time, store);
    private final FailureThrottle nodeB = new FailureThrottle("token.address", 30, WINDOW, 1000, time, store);

    @Test
    void thirtyFailuresSpreadOverTwoNodesUseUpTheOneAllowanceAndTheNextIsRefusedOnBoth() {
        List<String> usedUp = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            FailureThrottle node = i % 2 == 0 ? nodeA : nodeB;
            assertEquals(Optional.empty(), node.blocked("192.0.2.1"), "attempt " + i);
            if (node.count("192.0.2.1") == FailureThrottle.Failure.USED_UP) {
                usedUp.add((node == nodeA ? "A" : "B") + i);
            }
        }

        assertEquals(List.of("A30"), usedUp, "one lockout, where the 30th failure of the cluster was");
        assertTrue(nodeA.blocked("192.0.2.1").isPresent(), "the node that saw it refuses from memory");
        assertEquals(Optional.empty(), nodeB.blocked("192.0.2.1"), "the other has counted only 15 itself");
        assertEquals(FailureThrottle.Failure.REFUSED, nodeB.count("192.0.2.1"), "until its next failure");
        assertTrue(nodeB.blocked("192.0.2.1").isPresent());
        assertEquals(Optional.empty(), nodeA.blocked("198.51.100.7"), "another address keeps its allowance");
    }

    @Test
    void theStoreIsAskedOnFailuresOnlyNeverToCheckWhetherAKeyIsBlocked() {
        for (int i = 0; i < 100; i++) {
            nodeA.blocked("192.0.2.1");
        }
        nodeA.succeeded("192.0.2.1");

        assertEquals(List.of(), store.calls, "a success without failures counted here touches nothing");
        nodeA.count("192.0.2.1");
        assertEquals(List.of("failed token.address/30/180\n192.0.2.1"), store.calls);
    }

    @Test
    void aSuccessAfterFailuresForgetsThemOnTheCluster() {
        FailureThrottle accountsA = new FailureThrottle("login.account", 3, WINDOW, 1000, time, store);
        FailureThrottle accountsB = new FailureThrottle("login.account", 3, WINDOW, 1000, time, store);
        accountsA.count("alice");
        accountsB.count("alice");

        accountsA.succeeded("alice");

        assertEquals("forget login.account/3/180\nalice", store.calls.get(store.calls.size() - 1));
        assertFalse(store.buckets.containsKey("login.account/3/180\nalice"), "the cluster forgot alice's failures");
        assertEquals(FailureThrottle.Failure.COUNTED, accountsB.count("alice"));
        assertEquals(2, store.buckets.get("login.account/3/180\nalice").getAvailableTokens(),
                "the cluster counts from nothing again: one failure since");
    }

    @Test
    void aStoreThatDoesNotAnswerLeavesEachNodesOwnBucketInCharge() {
        store.down = true;
        for (int i = 1; i <= 29; i++) {
            assertEquals(FailureThrottle.Failure.COUNTED, nodeA.count("192.0.2.1"));
        }

        assertEquals(FailureThrottle.Failure.USED_UP, nodeA.count("192.0.2.1"), "this node's own 30th");
        assertTrue(nodeA.blocked("192.0.2.1").isPresent());
        assertEquals(Optional.empty(), nodeB.blocked("192.0.2.1"), "per node again, as without a store");
    }

    @Test
    void aClusterLockoutEndsWhenTheAllowanceRefills() {
        for (int i = 0; i < 30; i++) {
            (i % 2 == 0 ? nodeA : nodeB).count("192.0.2.1");
        }
        assertEquals(FailureThrottle.Failure.REFUSED, nodeB.count("192.0.2.1"));
        assertTrue(nodeB.blocked("192.0.2.1").isPresent());

        time.nanos += WINDOW.toNanos() / 30;

        assertFalse(nodeB.blocked("192.0.2.1").isPresent(), "one more attempt every 6 s");
        assertEquals(FailureThrottle.Failure.USED_UP, nodeB.count("192.0.2.1"), "and it uses the allowance up again");
    }

    @Test
    void throttlesWithOtherAllowancesNeverShareABucket() {
        FailureThrottle strict = new FailureThrottle("token.address", 5, WINDOW, 1000, time, store);
        for (int i = 0; i < 30; i++) {
            nodeA.count("192.0.2.1");
        }

        assertEquals(FailureThrottle.Failure.COUNTED, strict.count("192.0.2.1"),
                "a bucket of its own allowance (5), not the one of 30 used up");
        assertEquals(2, store.buckets.size());
    }

    @Test
    void withoutAStoreNothingChanges() {
        FailureThrottle alone = new FailureThrottle("token.address", 2, WINDOW, 1000, time, SharedAllowance.NONE);

        assertEquals(FailureThrottle.Failure.COUNTED, alone.count("192.0.2.1"));
        assertEquals(FailureThrottle.Failure.USED_UP, alone.count("192.0.2.1"));
        assertFalse(alone.shared());
    }
}
