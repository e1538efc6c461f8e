package dev.tokenauth.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.config.TokenAuthConfig;
import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.metrics.Outcomes.Authentication;
import dev.tokenauth.throttle.FailureThrottle;
import dev.tokenauth.throttle.SharedAllowance;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;

/**
 * Every token check of the application, whichever entry point asks (the filter, the Jakarta Authentication module):
 * the failed-token throttle per client address, the {@code Authorization} header's parsing, the authentication, and
 * the counting of each outcome. Made once per application, so that every path shares one allowance and one count.
 * <p>
 * While an address is throttled, a token the authenticator {@linkplain TokenAuthenticator#knownGood knows as good}
 * is still checked: behind a shared NAT or proxy one guesser must not stop everyone else's valid tokens, and a token
 * that authenticated lately tells a guesser nothing (tokens are far too long to guess). Every other token from the
 * address is refused without a lookup.
 */
public final class TokenGate {


    /** Failed token authentications are counted per client address over this window, as GitLab does. */
    public static final Duration FAILURE_WINDOW = Duration.ofMinutes(3);

    /** What the gate decided. */
    public sealed interface Result permits Passed, Refused {
    }

    /** Why the gate refused; {@link TokenRefusals} writes the answer. */
    public sealed interface Refused extends Result permits Throttled, Invalid, Unavailable {
    }

    /** An active token: its owner is the request's user. */
    public record Passed(AuthenticatedToken token) implements Result {
        public Caller caller() {
            return Caller.byToken(token.owner(), token.id(), token.scopes());
        }
    }

    /** 429: the address used up its allowance of failed tokens, and this token is not one known as good. */
    public record Throttled(Duration retryAfter) implements Refused {
    }

    /** 401: an unusable header or a token that is not active (one answer for every reason). */
    public record Invalid() implements Refused {
    }

    /** 503: the store could not answer; the request is refused, never let through. */
    public record Unavailable() implements Refused {
    }

    private static final Invalid INVALID = new Invalid();
    private static final Unavailable UNAVAILABLE = new Unavailable();

    private final TokenAuthenticator authenticator;
    private final AuthorizationHeaderParser headerParser;
    private final FailureThrottle throttle;
    private final Outcomes outcomes;
    private final TokenRefusals refusals;

    public TokenGate(TokenAuthenticator authenticator, boolean allowBearer, FailureThrottle throttle,
            TokenRefusals refusals, Outcomes outcomes) {
        this.authenticator = authenticator;
        this.headerParser = new AuthorizationHeaderParser(allowBearer);
        this.throttle = throttle;
        this.refusals = refusals;
        this.outcomes = outcomes;
    }

    /** The gate the configuration asks for ({@code tokenauth.auth.*}, {@code tokenauth.throttle.token.address}). */
    public static TokenGate of(TokenAuthConfig.TokenCheck config, TokenAuthenticator authenticator, Outcomes outcomes) {
        return of(config, authenticator, outcomes, SharedAllowance.NONE);
    }

    /** As {@link #of(TokenAuthConfig.TokenCheck, TokenAuthenticator, Outcomes)}, the allowance shared by the cluster. */
    public static TokenGate of(TokenAuthConfig.TokenCheck config, TokenAuthenticator authenticator, Outcomes outcomes,
            SharedAllowance shared) {
        return new TokenGate(authenticator, config.allowBearer(),
                FailureThrottle.of("token.address", config.failuresPerAddress(), FAILURE_WINDOW, shared),
                new TokenRefusals(config.realm()), outcomes);
    }

    /**
     * Checks the {@code Authorization} headers of a request from {@code address} (at least one; more than one is
     * an unusable header).
     */
    public Result check(List<String> headers, String address) {
        return check(headers, address, false);
    }

    /**
     * As {@link #check(List, String)}, for a request that would rotate a token when {@code rotation} (see
     * {@link RotateTokenServlet#isRotation}), where a replaced token is a detected reuse.
     */
    public Result check(List<String> headers, String address, boolean rotation) {
        Optional<String> presented = headers.size() == 1 ? headerParser.parse(headers.get(0)) : Optional.empty();
        Optional<Duration> wait = throttle.blocked(address);
        if (wait.isPresent() && (presented.isEmpty() || !authenticator.knownGood(presented.get()))) {
            outcomes.authentication(Authentication.THROTTLED);
            return new Throttled(wait.get());
        }
        if (presented.isEmpty()) {
            authenticator.refusedUnusableHeader(address);
            return failed(address);
        }
        Optional<AuthenticatedToken> token;
        try {
            token = rotation ? authenticator.authenticate(presented.get(), address, true)
                    : authenticator.authenticate(presented.get(), address);
        } catch (StoreUnavailableException e) {
            outcomes.authentication(Authentication.UNAVAILABLE);
            return UNAVAILABLE;
        }
        if (token.isEmpty()) {
            return failed(address);
        }
        outcomes.authentication(Authentication.TOKEN);
        return new Passed(token.get());
    }

    /** The writer of this gate's refusals (and of the filter's "Not logged in."). */
    public TokenRefusals refusals() {
        return refusals;
    }

    /** The counter of outcomes, for an entry point's own (session) decisions. */
    public Outcomes outcomes() {
        return outcomes;
    }

    /** For the start-up line: what the gate accepts and allows. */
    public String describe() {
        return "schemes Token" + (headerParser.allowsBearer() ? ", Bearer" : "") + "; challenge "
                + refusals.challenge() + "; failed tokens per address " + (throttle.enabled()
                        ? throttle.failures() + " within " + FAILURE_WINDOW.toMinutes() + " minutes"
                                + (throttle.shared() ? " on all nodes" : "") : "unlimited");
    }

    /**
     * A failed token: 401, or 429 when the cluster had already locked the address out (another node counted the
     * failures that used up its one allowance).
     */
    private Refused failed(String address) {
        FailureThrottle.Failure counted = throttle.count(address);
        if (counted == FailureThrottle.Failure.REFUSED) {
            outcomes.authentication(Authentication.THROTTLED);
            return new Throttled(throttle.blocked(address).orElse(Duration.ofSeconds(1)));
        }
        outcomes.authentication(Authentication.INVALID_TOKEN);
        if (counted == FailureThrottle.Failure.USED_UP) {
            authenticator.addressThrottled(address, throttle.failures() + " failed token authentications within "
                    + FAILURE_WINDOW.toMinutes() + " minutes" + (throttle.shared() ? " on all nodes" : ""));
        }
        return INVALID;
    }
}
