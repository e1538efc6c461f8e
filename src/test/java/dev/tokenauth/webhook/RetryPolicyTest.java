package dev.tokenauth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant STORED = Instant.parse("2026-12-03T12:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofHours(24));

    @Test
    void theWaitDoublesFromTheFirstUpToAnHour() {
        List<Long> waits = new ArrayList<>();
        Instant now = STORED;
        for (int failed = 1; failed <= 12; failed++) {
            Instant next = policy.next(failed, STORED, now).orElseThrow();
            waits.add(Duration.between(now, next).toSeconds());
            now = next;
        }
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1280L, 2560L, 3600L, 3600L, 3600L), waits);
        assertEquals(Optional.of(STORED.plus(Duration.ofHours(1))), policy.next(5000, STORED, STORED),
                "no overflow however many attempts failed");
    }

    @Test
    void noAttemptIsMadePastTheBound() {
        Instant late = STORED.plus(Duration.ofHours(23)).plusSeconds(1800);
        assertEquals(Optional.empty(), policy.next(30, STORED, late), "an hour's wait would end past 24 h");
        assertEquals(Optional.of(STORED.plus(Duration.ofHours(24))),
                policy.next(30, STORED, STORED.plus(Duration.ofHours(23))), "an attempt exactly at the bound is made");
    }

    @Test
    void countTheAttemptsOfAReceiverThatIsDownForGood() {
        int attempts = 1;
        Instant now = STORED;
        for (Optional<Instant> next = policy.next(attempts, STORED, now); next.isPresent();
                next = policy.next(attempts, STORED, now)) {
            now = next.get();
            attempts++;
        }
        // 9 doubling waits reach 85 minutes; then 22 hourly ones fit into the rest of the day.
        assertEquals(32, attempts);
    }
}
