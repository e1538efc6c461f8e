package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.throttle.FailureThrottle;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;

/** The one token check: throttle, parse, authenticate, count; and the rule for tokens known as good. */
class TokenGateTest {

    private static final String ADDRESS = "192.0.2.30";
    private static final String GOOD = "tka_good";
    private static final AuthenticatedToken ALICE = new AuthenticatedToken(7, "alice", Set.of("read"));

    private TokenAuthenticator tokens;
    private Metrics metrics;
    private TokenGate gate;

    @BeforeEach
    void setUp() {
        tokens = mock(TokenAuthenticator.class);
        when(tokens.authenticate(anyString(), anyString())).thenReturn(Optional.empty());
        when(tokens.authenticate(GOOD, ADDRESS)).thenReturn(Optional.of(ALICE));
        metrics = Metrics.prometheus();
        gate = new TokenGate(tokens, false, FailureThrottle.of(3, Duration.ofMinutes(3)), new TokenRefusals("api"),
                metrics);
    }

    @AfterEach
    void tearDown() {
        metrics.close();
    }

    @Test
    void anActiveTokenPassesAsItsOwnerWithItsScopes() {
        TokenGate.Result result = gate.check(List.of("Token " + GOOD), ADDRESS);

        assertEquals(new TokenGate.Passed(ALICE), result);
        assertEquals(Caller.byToken("alice", 7, Set.of("read")), ((TokenGate.Passed) result).caller());
        assertEquals(Map.of("token", 1.0), counted());
    }

    @Test
    void anUnusableHeaderOrSeveralHeadersAreInvalidWithoutALookup() {
        assertEquals(new TokenGate.Invalid(), gate.check(List.of("Basic YWxpY2U6cHc="), ADDRESS));
        assertEquals(new TokenGate.Invalid(), gate.check(List.of("Token " + GOOD, "Token " + GOOD), ADDRESS));

        verify(tokens, times(2)).refusedUnusableHeader(ADDRESS);
        verify(tokens, never()).authenticate(any(), any());
        assertEquals(Map.of("invalid_token", 2.0), counted());
    }

    @Test
    void theStoreNotAnsweringIsUnavailableAndNotCountedAsAFailure() {
        when(tokens.authenticate("tka_any", ADDRESS)).thenThrow(new StoreUnavailableException("down", null));

        for (int i = 0; i < 4; i++) {
            assertEquals(new TokenGate.Unavailable(), gate.check(List.of("Token tka_any"), ADDRESS));
        }

        assertEquals(Map.of("unavailable", 4.0), counted());
        verify(tokens, never()).addressThrottled(any(), any());
    }

    @Test
    void theAllowanceUsedUpThrottlesEveryTokenNotKnownAsGoodWithoutALookupAndTheLockoutIsNotedOnce() {
        for (int i = 0; i < 3; i++) {
            assertEquals(new TokenGate.Invalid(), gate.check(List.of("Token tka_guess" + i), ADDRESS));
        }
        TokenGate.Result guess = gate.check(List.of("Token tka_guess3"), ADDRESS);
        TokenGate.Result good = gate.check(List.of("Token " + GOOD), ADDRESS);

        assertEquals(TokenGate.Throttled.class, guess.getClass());
        assertEquals(Duration.ofMinutes(1), ((TokenGate.Throttled) guess).retryAfter());
        assertEquals(TokenGate.Throttled.class, good.getClass(), "a token never seen good waits too");
        verify(tokens, never()).authenticate("tka_guess3", ADDRESS);
        verify(tokens, never()).authenticate(GOOD, ADDRESS);
        verify(tokens).addressThrottled(ADDRESS, "3 failed token authentications within 3 minutes");
        assertEquals(Map.of("invalid_token", 3.0, "throttled", 2.0), counted());
    }

    @Test
    void whileTheAddressIsThrottledATokenKnownAsGoodIsStillCheckedAndPasses() {
        when(tokens.knownGood(GOOD)).thenReturn(true);
        for (int i = 0; i < 3; i++) {
            gate.check(List.of("Token tka_guess" + i), ADDRESS);
        }

        assertEquals(new TokenGate.Passed(ALICE), gate.check(List.of("Token " + GOOD), ADDRESS));
        assertEquals(TokenGate.Throttled.class, gate.check(List.of("Token tka_guess9"), ADDRESS).getClass(),
                "the guesser stays throttled");
        assertEquals(Map.of("invalid_token", 3.0, "token", 1.0, "throttled", 1.0), counted());
    }

    @Test
    void whileTheAddressIsThrottledATokenKnownAsGoodThatEndedSinceIsRefusedAsInvalid() {
        when(tokens.knownGood("tka_revoked")).thenReturn(true);
        for (int i = 0; i < 3; i++) {
            gate.check(List.of("Token tka_guess" + i), ADDRESS);
        }

        assertEquals(new TokenGate.Invalid(), gate.check(List.of("Token tka_revoked"), ADDRESS));
        verify(tokens).authenticate("tka_revoked", ADDRESS);
    }

    @Test
    void whileTheAddressIsThrottledAnUnusableHeaderIsThrottledAndNotNoted() {
        for (int i = 0; i < 3; i++) {
            gate.check(List.of("Token tka_guess" + i), ADDRESS);
        }

        assertEquals(TokenGate.Throttled.class, gate.check(List.of("Basic x"), ADDRESS).getClass());
        verify(tokens, never()).refusedUnusableHeader(ADDRESS);
    }

    @Test
    void anotherAddressIsNotThrottled() {
        for (int i = 0; i < 3; i++) {
            gate.check(List.of("Token tka_guess" + i), ADDRESS);
        }
        when(tokens.authenticate(GOOD, "198.51.100.1")).thenReturn(Optional.of(ALICE));

        assertEquals(new TokenGate.Passed(ALICE), gate.check(List.of("Token " + GOOD), "198.51.100.1"));
    }

    private Map<String, Double> counted() {
        Map<String, Double> counted = new TreeMap<>();
        for (Outcomes.Authentication o : Outcomes.Authentication.values()) {
            double n = metrics.registry().get("tokenauth.authentications").tag("outcome", o.tag()).counter().count();
            if (n != 0) {
                counted.put(o.tag(), n);
            }
        }
        return counted;
    }

    /** A cluster's store that has no allowance left for anyone, and notes each call. */
    private static final class ExhaustedCluster implements dev.tokenauth.throttle.SharedAllowance {
        final List<String> calls = new java.util.ArrayList<>();

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<Outcome> failed(String key, long failures, Duration window) {
            calls.add(key);
            return Optional.of(new Outcome(false, 0, Duration.ofSeconds(6).toNanos()));
        }

        @Override
        public void forget(String key) {
            calls.add("forget " + key);
        }
    }

    @Test
    void aFailureTheClusterHasNoAllowanceLeftForIsThrottledAndAGoodTokenNeverAsksTheCluster() {
        ExhaustedCluster cluster = new ExhaustedCluster();
        TokenGate clustered = new TokenGate(tokens, false, FailureThrottle.of("token.address", 30, Duration.ofMinutes(3),
                cluster), new TokenRefusals("api"), metrics);

        assertEquals(new TokenGate.Passed(ALICE), clustered.check(List.of("Token " + GOOD), ADDRESS));
        assertEquals(List.of(), cluster.calls, "a success touches nothing shared");

        assertEquals(new TokenGate.Throttled(Duration.ofSeconds(6)), clustered.check(List.of("Token tka_bad"), ADDRESS),
                "locked out by the other nodes' failures: 429 at this node's first");
        assertEquals(List.of("token.address/30/180\n" + ADDRESS), cluster.calls);
        assertEquals(new TokenGate.Throttled(Duration.ofSeconds(6)), clustered.check(List.of("Token tka_bad"), ADDRESS));
        assertEquals(1, cluster.calls.size(), "then from memory, without asking");
        assertEquals(Map.of("token", 1.0, "throttled", 2.0), counted());
    }
}
