package dev.tokenauth.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.MutableClock;
import dev.tokenauth.token.TokenFormat;

/** The remote mode's authenticator against a token service played by a map: what is asked, what is kept. */
class RemoteTokenAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MutableClock clock = new MutableClock(NOW);
    private final Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.instant().toEpochMilli());
    /** The service's active tokens, by plaintext; absent is inactive. */
    private final Map<String, ActiveToken> service = new HashMap<>();
    /** Every token the service was asked about, in order. */
    private final List<String> asked = new ArrayList<>();
    private boolean serviceDown;

    private RemoteTokenAuthenticator authenticator(long size, Duration ttl) {
        return new RemoteTokenAuthenticator(presented -> {
            asked.add(presented);
            if (serviceDown) {
                throw new StoreUnavailableException("introspection at the token service", null);
            }
            return Optional.ofNullable(service.get(presented));
        }, () -> { }, "test", size, ttl, clock, ticker);
    }

    private String active(String owner, Instant expiresAt) {
        String token = TokenFormat.generate(RANDOM);
        service.put(token, new ActiveToken(new AuthenticatedToken(42, owner, Set.of("read", "orders")), expiresAt));
        return token;
    }

    @Test
    void anActiveTokenAuthenticatesItsOwnerWithItsScopesAndIsAskedOnceWithinTheCachesAge() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String token = active("clerk", null);

        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.of(new AuthenticatedToken(42, "clerk", Set.of("read", "orders"))),
                    remote.authenticate(token, "192.0.2.1"));
        }

        assertEquals(List.of(token), asked);
    }

    @Test
    void aRevocationAtTheServiceCountsOnceTheCachesAgeHasPassed() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String token = active("clerk", null);
        assertTrue(remote.authenticate(token, "192.0.2.1").isPresent());

        service.remove(token);
        clock.advance(TTL.minusMillis(1));
        assertTrue(remote.authenticate(token, "192.0.2.1").isPresent(), "still within the cache's age");
        clock.advance(Duration.ofMillis(1));

        assertEquals(Optional.empty(), remote.authenticate(token, "192.0.2.1"));
        assertEquals(2, asked.size());
    }

    @Test
    void inactiveAnswersAreNeverKeptSoATokenMadeAMomentAgoWorksAtOnce() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String token = TokenFormat.generate(RANDOM);
        assertEquals(Optional.empty(), remote.authenticate(token, "192.0.2.1"));

        service.put(token, new ActiveToken(new AuthenticatedToken(7, "new", Set.of("read")), null));

        assertTrue(remote.authenticate(token, "192.0.2.1").isPresent());
        assertEquals(List.of(token, token), asked);
    }

    @Test
    void aCachedAnswerIsNeverUsedPastTheTokensOwnEnd() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String token = active("clerk", NOW.plusSeconds(2));
        assertTrue(remote.authenticate(token, "192.0.2.1").isPresent());

        clock.advance(Duration.ofSeconds(2));

        assertEquals(Optional.empty(), remote.authenticate(token, "192.0.2.1"),
                "ended at its exp, though the cache's age is 5 s (and the service still said active)");
    }

    @Test
    void anAnswerOfATokenAlreadyEndedByThisClockIsRefused() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String token = active("clerk", NOW.minusSeconds(1));

        assertEquals(Optional.empty(), remote.authenticate(token, "192.0.2.1"));
    }

    @Test
    void withTheCachesAgeZeroEveryRequestAsks() {
        RemoteTokenAuthenticator remote = authenticator(100, Duration.ZERO);
        String token = active("clerk", null);
        remote.authenticate(token, "192.0.2.1");
        remote.authenticate(token, "192.0.2.1");
        service.remove(token);

        assertEquals(Optional.empty(), remote.authenticate(token, "192.0.2.1"), "a revocation counts at once");
        assertEquals(3, asked.size());
    }

    @Test
    void aTokenThatIsNotWellFormedIsRefusedWithoutAskingTheService() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String token = TokenFormat.generate(RANDOM);
        String badChecksum = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

        for (String bad : List.of("", "XYZ789", "tka_short", badChecksum, token + "x")) {
            assertEquals(Optional.empty(), remote.authenticate(bad, "192.0.2.1"), bad);
        }
        assertEquals(List.of(), asked);
    }

    @Test
    void aServiceThatCannotAnswerFailsClosedExceptForAnAnswerStillFreshHere() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String cached = active("clerk", null);
        String other = active("clerk", null);
        remote.authenticate(cached, "192.0.2.1");

        serviceDown = true;

        assertTrue(remote.authenticate(cached, "192.0.2.1").isPresent());
        assertThrows(StoreUnavailableException.class, () -> remote.authenticate(other, "192.0.2.1"));
        clock.advance(TTL);
        assertThrows(StoreUnavailableException.class, () -> remote.authenticate(cached, "192.0.2.1"));
    }

    @Test
    void aTokenThatAuthenticatedIsKnownAsGoodAndAGuessIsNot() {
        RemoteTokenAuthenticator remote = authenticator(100, Duration.ZERO);
        String token = active("clerk", null);
        String guess = TokenFormat.generate(RANDOM);
        assertFalse(remote.knownGood(token));

        remote.authenticate(token, "192.0.2.1");
        remote.authenticate(guess, "192.0.2.1");

        assertTrue(remote.knownGood(token));
        assertFalse(remote.knownGood(guess));
        assertFalse(remote.knownGood("XYZ789"));
    }

    @Test
    void withTheCacheSizeZeroNothingIsKept() {
        RemoteTokenAuthenticator remote = authenticator(0, TTL);
        String token = active("clerk", null);
        remote.authenticate(token, "192.0.2.1");
        remote.authenticate(token, "192.0.2.1");

        assertEquals(2, asked.size());
        assertFalse(remote.knownGood(token));
    }

    @Test
    void theServicesAnswerIsWhatTheGateSees() {
        RemoteTokenAuthenticator remote = authenticator(100, TTL);
        String token = active("clerk", null);

        AuthenticatedToken first = remote.authenticate(token, "192.0.2.1").orElseThrow();

        assertSame(first, remote.authenticate(token, "192.0.2.2").orElseThrow(), "from the cache");
    }
}
