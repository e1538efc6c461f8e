package dev.tokenauth.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** Each lockout told, as its kind and its words. */
    private final List<String> lockouts = new ArrayList<>();

    private void lockedOut(Lockout kind, String what) {
        lockouts.add(kind + " " + what);
    }

    @Test
    void anAccountIsThrottledAfterItsFailuresFromWhateverAddressAndOthersAreNot() {
        LoginThrottle throttle = LoginThrottle.of(3, 100);
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice", "192.0.2." + i, this::lockedOut);
        }

        assertTrue(throttle.blocked("alice", "203.0.113.9").isPresent());
        assertEquals(Optional.empty(), throttle.blocked("bob", "192.0.2.1"));
        assertEquals(List.of("LOGIN_ACCOUNT account alice: 3 failed logins within 15 minutes"), lockouts);
    }

    @Test
    void anAddressIsThrottledAfterItsFailuresWhateverAccountsItTries() {
        LoginThrottle throttle = LoginThrottle.of(100, 3);
        for (String user : new String[] {"alice", "bob", "carol"}) {
            throttle.failed(user, "198.51.100.7", this::lockedOut);
        }

        assertTrue(throttle.blocked("dave", "198.51.100.7").isPresent());
        assertEquals(Optional.empty(), throttle.blocked("dave", "198.51.100.8"));
        assertEquals(List.of("LOGIN_ADDRESS address 198.51.100.7: 3 failed logins within 1 minute(s)"), lockouts);
    }

    @Test
    void theLongerOfTheTwoWaitsApplies() {
        LoginThrottle throttle = LoginThrottle.of(1, 1);
        throttle.failed("alice", "192.0.2.1", this::lockedOut);

        // one more per 15 minutes for the account, per minute for the address
        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.blocked("alice", "192.0.2.1"));
        assertEquals(Optional.of(Duration.ofMinutes(1)), throttle.blocked("bob", "192.0.2.1"));
    }

    @Test
    void aSuccessfulLoginResetsTheAccountsCount() {
        LoginThrottle throttle = LoginThrottle.of(3, 100);
        throttle.failed("alice", "192.0.2.1", this::lockedOut);
        throttle.failed("alice", "192.0.2.1", this::lockedOut);
        throttle.succeeded("alice");
        throttle.failed("alice", "192.0.2.1", this::lockedOut);
        throttle.failed("alice", "192.0.2.1", this::lockedOut);

        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1"));
        assertEquals(List.of(), lockouts);
    }
}
