package dev.tokenauth.web;

import java.time.Duration;
import java.util.Optional;

import dev.tokenauth.config.TokenAuthConfig;
import dev.tokenauth.throttle.FailureThrottle;

/**
 * Whether leaked tokens may be reported ({@code POST /api/credentials/revoke}), and the allowance of reports per
 * client address: the endpoint needs no authentication, so only its throttle stands between it and a flood.
 */
public final class LeakReports {

    /** The throttle's window: GitHub's unauthenticated endpoints count per hour too. */
    public static final Duration WINDOW = Duration.ofHours(1);

    private final boolean enabled;
    private final FailureThrottle throttle;

    public LeakReports(boolean enabled, FailureThrottle throttle) {
        this.enabled = enabled;
        this.throttle = throttle;
    }

    public static LeakReports of(TokenAuthConfig.Leaks config) {
        return new LeakReports(config.endpoint(), FailureThrottle.of(config.reportsPerHour(), WINDOW));
    }

    public boolean enabled() {
        return enabled;
    }

    /** Counts a report from {@code address}; empty when it may be taken, else how long the address must wait. */
    public Optional<Duration> admit(String address) {
        Optional<Duration> wait = throttle.blocked(address);
        if (wait.isPresent()) {
            return wait;
        }
        throttle.failed(address);
        return Optional.empty();
    }
}
