package dev.tokenauth.throttle;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Failed logins, throttled per account (30 within 15 minutes by default, as Keycloak's brute-force detection
 * counts) and per client address (10 a minute, as GitLab's protected paths), whichever waits longer. A successful
 * login resets the account's count. Only password logins are throttled: a locked account's tokens keep working,
 * so that guessing its password cannot lock its owner out of the API.
 */
public final class LoginThrottle {

    public static final Duration ACCOUNT_WINDOW = Duration.ofMinutes(15);
    public static final Duration ADDRESS_WINDOW = Duration.ofMinutes(1);

    /** Never throttles. */
    public static final LoginThrottle OFF = new LoginThrottle(FailureThrottle.OFF, FailureThrottle.OFF);

    private final FailureThrottle accounts;
    private final FailureThrottle addresses;

    public LoginThrottle(FailureThrottle accounts, FailureThrottle addresses) {
        this.accounts = accounts;
        this.addresses = addresses;
    }

    public static LoginThrottle of(long perAccount, long perAddress) {
        return new LoginThrottle(FailureThrottle.of(perAccount, ACCOUNT_WINDOW),
                FailureThrottle.of(perAddress, ADDRESS_WINDOW));
    }

    /** How long a login as {@code username} from {@code address} must wait, or empty when it may try now. */
    public Optional<Duration> blocked(String username, String address) {
        Optional<Duration> account = username == null ? Optional.empty() : accounts.blocked(username);
        Optional<Duration> client = addresses.blocked(address);
        if (account.isEmpty()) {
            return client;
        }
        return client.isEmpty() || account.get().compareTo(client.get()) >= 0 ? account : client;
    }

    /**
     * Counts a failed login; tells {@code lockedOut} once for each allowance used up, with what was locked and in
     * words ("account alice: ...", "address 192.0.2.1: ...").
     */
    public void failed(String username, String address, BiConsumer<Lockout, String> lockedOut) {
        if (username != null && accounts.failed(username)) {
            lockedOut.accept(Lockout.LOGIN_ACCOUNT, "account " + username + ": " + accounts.failures()
                    + " failed logins within " + accounts.window().toMinutes() + " minutes");
        }
        if (addresses.failed(address)) {
            lockedOut.accept(Lockout.LOGIN_ADDRESS, "address " + address + ": " + addresses.failures()
                    + " failed logins within " + addresses.window().toMinutes() + " minute(s)");
        }
    }

    public void succeeded(String username) {
        accounts.succeeded(username);
    }
}
