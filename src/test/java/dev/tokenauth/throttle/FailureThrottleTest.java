package dev.tokenauth.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;


class FailureThrottleTest {

    private final ManualTime time = new ManualTime();
    private final FailureThrottle thirtyIn3Minutes = new FailureThrottle(30, Duration.ofMinutes(3), 1000, time);

    @Test
    void thirtyFailuresAreAllowedAndTheThirtiethStartsOneLockout() {
        List<Integer> lockouts = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            assertEquals(Optional.empty(), thirtyIn3Minutes.blocked("192.0.2.1"), "attempt " + i);
            if (thirtyIn3Minutes.failed("192.0.2.1")) {
                lockouts.add(i);
            }
        }

        assertEquals(List.of(30), lockouts, "one lockout event, at the failure that used the allowance up");
        assertEquals(Optional.of(Duration.ofSeconds(6)), thirtyIn3Minutes.blocked("192.0.2.1"));
    }

    @Test
    void aThrottledKeyGetsOneMoreAttemptPerRefillStepAndEachFailureLocksItAgainWithoutANewLockout() {
        for (int i = 0; i < 30; i++) {
            thirtyIn3Minutes.failed("k");
        }
        time.advance(Duration.ofSeconds(5));
        assertEquals(Optional.of(Duration.ofSeconds(1)), thirtyIn3Minutes.blocked("k"), "rounded up to whole seconds");

        time.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), thirtyIn3Minutes.blocked("k"), "one refill step later, one more attempt");
        assertTrue(thirtyIn3Minutes.failed("k"), "failing it uses the allowance up again");
        assertTrue(thirtyIn3Minutes.blocked("k").isPresent());
    }

    @Test
    void askingAgainAndAgainWhetherAKeyIsBlockedNeitherLengthensNorShortensItsLockout() {
        for (int i = 0; i < 30; i++) {
            thirtyIn3Minutes.failed("k");
        }
        for (int i = 0; i < 10_000; i++) {
            assertEquals(Optional.of(Duration.ofSeconds(6)), thirtyIn3Minutes.blocked("k"));
        }
        time.advance(Duration.ofSeconds(6));
        assertEquals(Optional.empty(), thirtyIn3Minutes.blocked("k"), "one refill step later, one more attempt");
        assertTrue(thirtyIn3Minutes.failed("k"), "which uses the allowance up again");

        // Three minutes of nothing but questions: the whole allowance is back, as after three minutes of silence.
        for (int second = 0; second < 180; second++) {
            time.advance(Duration.ofSeconds(1));
            thirtyIn3Minutes.blocked("k");
        }
        assertEquals(Optional.empty(), thirtyIn3Minutes.blocked("k"));
        for (int i = 1; i < 30; i++) {
            assertFalse(thirtyIn3Minutes.failed("k"), "attempt " + i);
        }
        assertTrue(thirtyIn3Minutes.failed("k"));
    }

    @Test
    void otherKeysAreNotAffected() {
        for (int i = 0; i < 30; i++) {
            thirtyIn3Minutes.failed("attacker");
        }

        assertEquals(Optional.empty(), thirtyIn3Minutes.blocked("someone-else"));
    }

    @Test
    void aSuccessForgetsTheFailures() {
        for (int i = 0; i < 29; i++) {
            thirtyIn3Minutes.failed("alice");
        }
        thirtyIn3Minutes.succeeded("alice");

        for (int i = 1; i < 30; i++) {
            assertFalse(thirtyIn3Minutes.failed("alice"), "attempt " + i + " after the reset");
        }
    }

    @Test
    void afterAWholeWindowWithoutFailuresTheFullAllowanceIsBack() {
        for (int i = 0; i < 30; i++) {
            thirtyIn3Minutes.failed("k");
        }
        time.advance(Duration.ofMinutes(3));

        for (int i = 1; i < 30; i++) {
            assertFalse(thirtyIn3Minutes.failed("k"), "attempt " + i);
        }
        assertTrue(thirtyIn3Minutes.failed("k"));
    }

    @Test
    void keysAreBoundedSoAFloodOfAddressesCannotGrowMemoryWithoutLimit() {
        FailureThrottle small = new FailureThrottle(30, Duration.ofMinutes(3), 100, time);
        for (int i = 0; i < 10_000; i++) {
            small.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        // Caffeine evicts beyond its bound: the earliest addresses are forgotten, the throttle still works.
        for (int i = 0; i < 30; i++) {
            small.failed("198.51.100.1");
        }
        assertTrue(small.blocked("198.51.100.1").isPresent());
    }

    @Test
    void zeroTurnsItOff() {
        FailureThrottle off = new FailureThrottle(0, Duration.ofMinutes(3), 100, time);
        for (int i = 0; i < 1000; i++) {
            assertFalse(off.failed("k"));
        }
        assertEquals(Optional.empty(), off.blocked("k"));
        assertFalse(FailureThrottle.OFF.enabled());
    }
}
