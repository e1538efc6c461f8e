package dev.tokenauth.throttle;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Failed logins, throttled per account (30 within 15 minutes by default, as Keycloak's brute-force detection
 * counts) and per client address (10 a minute, as GitLab's protected paths), whichever waits longer. A successful
 * login resets the account's count. Only password logins are throttled: a locked account's tokens keep working,
 * so that guessing its password cannot lock its owner out of the API.
 * <p>
 * An attempt from a trusted device (a browser that presents a valid device cookie for the name it tries, OWASP's
 * "Slow Down Online Guessing Attacks with Device Cookies") is counted against that device alone (10 within 15
 * minutes by default): neither the account's nor the address's lockout stops it, and its failures count against
 * neither, so that a guesser elsewhere, or behind the owner's own NAT, cannot lock the owner's known browser out.
 * A device that uses up its allowance is locked for the window, even for the right password; its browser is then
 * no better off than an untrusted one. The address throttle is there to slow one client trying many accounts; a
 * device cookie is good for one account only and was earned with its password, so it needs none.
 */
public final class LoginThrottle {

    public static final Duration ACCOUNT_WINDOW = Duration.ofMinutes(15);
    public static final Duration ADDRESS_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEVICE_WINDOW = Duration.ofMinutes(15);
    /** How many characters of a device's id a lockout's description names: enough to tell devices apart. */
    static final int DEVICE_ID_SHOWN = 8;

    /** Never throttles. */
    public static final LoginThrottle OFF = new LoginThrottle(FailureThrottle.OFF, FailureThrottle.OFF,
            FailureThrottle.OFF);

    private final FailureThrottle accounts;
    private final FailureThrottle addresses;
    private final FailureThrottle devices;

    public LoginThrottle(FailureThrottle accounts, FailureThrottle addresses, FailureThrottle devices) {
        this.accounts = accounts;
        this.addresses = addresses;
        this.devices = devices;
    }

    public static LoginThrottle of(long perAccount, long perAddress, long perDevice) {
        return new LoginThrottle(FailureThrottle.of(perAccount, ACCOUNT_WINDOW),
                FailureThrottle.of(perAddress, ADDRESS_WINDOW), FailureThrottle.of(perDevice, DEVICE_WINDOW));
    }

    /** As {@link #of(long, long, long)}, each count shared by the cluster through {@code shared}. */
    public static LoginThrottle of(long perAccount, long perAddress, long perDevice, SharedAllowance shared) {
        return new LoginThrottle(FailureThrottle.of("login.account", perAccount, ACCOUNT_WINDOW, shared),
                FailureThrottle.of("login.address", perAddress, ADDRESS_WINDOW, shared),
                FailureThrottle.of("login.device", perDevice, DEVICE_WINDOW, shared));
    }

    /**
     * How long a login as {@code username} from {@code address} must wait, or empty when it may try now.
     *
     * @param device the id of the trusted device the attempt comes from, or null for an untrusted attempt
     */
    public Optional<Duration> blocked(String username, String address, String device) {
        if (device != null) {
            return devices.blocked(device);
        }
        Optional<Duration> account = username == null ? Optional.empty() : accounts.blocked(username);
        Optional<Duration> client = addresses.blocked(address);
        if (account.isEmpty()) {
            return client;
        }
        return client.isEmpty() || account.get().compareTo(client.get()) >= 0 ? account : client;
    }

    /**
     * Counts a failed login, against the trusted {@code device} when there is one (else against the account and the
     * address); tells {@code lockedOut} once for each allowance used up, what was locked and in words ("account
     * alice: ...", "address 192.0.2.1: ...", "device 1f0e3dad of account alice: ...": a device by the start of its id).
     */
    public void failed(String username, String address, String device, BiConsumer<Lockout, String> lockedOut) {
        if (device != null) {
            if (devices.failed(device)) {
                lockedOut.accept(Lockout.LOGIN_DEVICE, "device " + device.substring(0, Math.min(DEVICE_ID_SHOWN,
                        device.length())) + " of account " + username + ": " + devices.failures()
                        + " failed logins within " + devices.window().toMinutes() + " minutes");
            }
            return;
        }
        if (username != null && accounts.failed(username)) {
            lockedOut.accept(Lockout.LOGIN_ACCOUNT, "account " + username + ": " + accounts.failures()
                    + " failed logins within " + accounts.window().toMinutes() + " minutes");
        }
        if (addresses.failed(address)) {
            lockedOut.accept(Lockout.LOGIN_ADDRESS, "address " + address + ": " + addresses.failures()
                    + " failed logins within " + addresses.window().toMinutes() + " minute(s)");
        }
    }

    /**
     * Forgets the failures of whatever the login was counted against: the trusted {@code device}, else the account.
     * A login from a trusted device leaves the account's count alone, so that the owner logging in from their own
     * browser does not hand a guesser elsewhere a fresh allowance.
     */
    public void succeeded(String username, String device) {
        if (device != null) {
            devices.succeeded(device);
            return;
        }
        accounts.succeeded(username);
    }
}
