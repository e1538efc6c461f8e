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
        LoginThrottle throttle = LoginThrottle.of(3, 100, 100);
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice", "192.0.2." + i, null, this::lockedOut);
        }

        assertTrue(throttle.blocked("alice", "203.0.113.9", null).isPresent());
        assertEquals(Optional.empty(), throttle.blocked("bob", "192.0.2.1", null));
        assertEquals(List.of("LOGIN_ACCOUNT account alice: 3 failed logins within 15 minutes"), lockouts);
    }

    @Test
    void anAddressIsThrottledAfterItsFailuresWhateverAccountsItTries() {
        LoginThrottle throttle = LoginThrottle.of(100, 3, 100);
        for (String user : new String[] {"alice", "bob", "carol"}) {
            throttle.failed(user, "198.51.100.7", null, this::lockedOut);
        }

        assertTrue(throttle.blocked("dave", "198.51.100.7", null).isPresent());
        assertEquals(Optional.empty(), throttle.blocked("dave", "198.51.100.8", null));
        assertEquals(List.of("LOGIN_ADDRESS address 198.51.100.7: 3 failed logins within 1 minute(s)"), lockouts);
    }

    @Test
    void theLongerOfTheTwoWaitsApplies() {
        LoginThrottle throttle = LoginThrottle.of(1, 1, 100);
        throttle.failed("alice", "192.0.2.1", null, this::lockedOut);

        // one more per 15 minutes for the account, per minute for the address
        assertEquals(Optional.of(Duration.ofMinutes(15)), throttle.blocked("alice", "192.0.2.1", null));
        assertEquals(Optional.of(Duration.ofMinutes(1)), throttle.blocked("bob", "192.0.2.1", null));
    }

    @Test
    void aSuccessfulLoginResetsTheAccountsCount() {
        LoginThrottle throttle = LoginThrottle.of(3, 100, 100);
        throttle.failed("alice", "192.0.2.1", null, this::lockedOut);
        throttle.failed("alice", "192.0.2.1", null, this::lockedOut);
        throttle.succeeded("alice", null);
        throttle.failed("alice", "192.0.2.1", null, this::lockedOut);
        throttle.failed("alice", "192.0.2.1", null, this::lockedOut);

        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", null));
        assertEquals(List.of(), lockouts);
    }

    private static final String PHONE = "1f0e3dad99908345f7439f8ffabdffc4f1f0e3dad99908345f7439f8ffabdffc";
    private static final String LAPTOP = "a87ff679a2f3e71d9181a67b7542122ca87ff679a2f3e71d9181a67b7542122c";

    @Test
    void aTrustedDeviceMayTryWhileItsAccountIsLockedAndItsFailuresDoNotCountAgainstTheAccount() {
        LoginThrottle throttle = LoginThrottle.of(3, 100, 5);
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice", "203.0.113.9", null, this::lockedOut);
        }

        assertTrue(throttle.blocked("alice", "192.0.2.1", null).isPresent(), "untrusted attempts are locked");
        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", PHONE));
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "192.0.2.1", PHONE, this::lockedOut);
        }
        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", PHONE));
        assertEquals(List.of("LOGIN_ACCOUNT account alice: 3 failed logins within 15 minutes"), lockouts,
                "the device's failures locked nothing");
    }

    @Test
    void aTrustedDevicesFailuresDoNotLockItsAddressNorDoesTheAddressLockoutStopIt() {
        LoginThrottle throttle = LoginThrottle.of(100, 3, 100);
        for (int i = 0; i < 5; i++) {
            throttle.failed("alice", "198.51.100.7", PHONE, this::lockedOut);
        }
        assertEquals(Optional.empty(), throttle.blocked("bob", "198.51.100.7", null),
                "the device's failures did not count against its address");

        for (String user : new String[] {"bob", "carol", "dave"}) {
            throttle.failed(user, "198.51.100.7", null, this::lockedOut);
        }
        assertTrue(throttle.blocked("alice", "198.51.100.7", null).isPresent());
        assertEquals(Optional.empty(), throttle.blocked("alice", "198.51.100.7", PHONE),
                "a guesser behind the owner's address does not lock the owner's device out");
    }

    @Test
    void aDeviceIsLockedForTheWindowAfterItsOwnFailuresAndTheLockoutNamesItByTheStartOfItsId() {
        LoginThrottle throttle = LoginThrottle.of(100, 100, 2);
        throttle.failed("alice", "192.0.2.1", PHONE, this::lockedOut);
        throttle.failed("alice", "192.0.2.1", PHONE, this::lockedOut);

        // one more per 7.5 minutes: 2 within 15
        assertEquals(Optional.of(Duration.ofSeconds(450)), throttle.blocked("alice", "192.0.2.1", PHONE));
        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", LAPTOP), "another device of hers");
        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", null), "her account is not locked");
        assertEquals(List.of("LOGIN_DEVICE device 1f0e3dad of account alice: 2 failed logins within 15 minutes"),
                lockouts);
    }

    @Test
    void aLoginFromATrustedDeviceResetsTheDevicesCountButNotTheAccounts() {
        LoginThrottle throttle = LoginThrottle.of(2, 100, 2);
        throttle.failed("alice", "192.0.2.1", PHONE, this::lockedOut);
        throttle.failed("alice", "203.0.113.9", null, this::lockedOut);
        throttle.succeeded("alice", PHONE);
        throttle.failed("alice", "192.0.2.1", PHONE, this::lockedOut);
        throttle.failed("alice", "203.0.113.9", null, this::lockedOut);

        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", PHONE));
        assertTrue(throttle.blocked("alice", "203.0.113.9", null).isPresent(),
                "the owner's login from her device gave the guesser no fresh allowance");
        assertEquals(List.of("LOGIN_ACCOUNT account alice: 2 failed logins within 15 minutes"), lockouts);
    }

    @Test
    void aDeviceAllowanceOfZeroNeverLocksADevice() {
        LoginThrottle throttle = LoginThrottle.of(1, 1, 0);
        for (int i = 0; i < 50; i++) {
            throttle.failed("alice", "192.0.2.1", PHONE, this::lockedOut);
        }

        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", PHONE));
        assertEquals(Optional.empty(), throttle.blocked("alice", "192.0.2.1", null));
        assertEquals(List.of(), lockouts);
    }
}
