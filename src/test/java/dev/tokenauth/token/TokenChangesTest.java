package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;


/**
 * Two servers on one store, each with its own validation cache, joined by a channel that carries the changes
 * that end tokens (what LISTEN/NOTIFY does between real servers): a change on one counts on the other at once,
 * long before the caches' age; without the channel it does not, which is what makes the channel the reason.
 */
class TokenChangesTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    /** Far longer than any test: only an announcement can explain a refusal on the other server. */
    private static final Duration TTL = Duration.ofHours(1);
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");

    private final Set<String> disabled = new HashSet<>();
    private final List<String> sent = new ArrayList<>();
    private InMemoryTokenStore store;
    private MutableClock clock;
    private ValidationCache cacheA;
    private ValidationCache cacheB;
    private TokenService serverA;
    private TokenService serverB;

    @BeforeEach
    void setUp() {
        store = new InMemoryTokenStore(disabled::contains);
        clock = new MutableClock(NOW);
        cacheA = ValidationCache.of(100, TTL, ticker());
        cacheB = ValidationCache.of(100, TTL, ticker());
        // As NOTIFY does: every message reaches every listening server, the sender's too, in its text form.
        TokenChanges channel = change -> {
            sent.add(change.message());
            TokenChange.parse(change.message()).orElseThrow().applyTo(cacheA);
            TokenChange.parse(change.message()).orElseThrow().applyTo(cacheB);
        };
        serverA = server(cacheA, channel);
        serverB = server(cacheB, channel);
    }

    private TokenService server(ValidationCache cache, TokenChanges changes) {
        return TokenServiceFixture.on(store).clock(clock).cache(cache).changes(changes).build();
    }

    private Ticker ticker() {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.instant().toEpochMilli());
    }

    private static boolean works(TokenService server, String plaintext) {
        return server.authenticate(plaintext, "192.0.2.9").isPresent();
    }

    @Test
    void aRevocationOnOneServerCountsOnTheOtherAtOnceThoughItHadTheTokenCached() {
        IssuedToken issued = serverA.issue(ALICE, null, null);
        assertTrue(works(serverB, issued.plaintext()), "now in B's cache");

        serverA.revoke(ALICE, TokenService.refTo(issued.plaintext()));

        assertFalse(works(serverB, issued.plaintext()));
        assertEquals(List.of("token:" + issued.info().id()), sent, "ids travel, never the secret or its digest");
    }

    @Test
    void withoutTheChannelTheOtherServerKeepsItsCachedAnswerUntilTheCacheAge() {
        TokenService lonelyB = server(cacheB, TokenChanges.NONE);
        TokenService lonelyA = server(cacheA, TokenChanges.NONE);
        IssuedToken issued = lonelyA.issue(ALICE, null, null);
        assertTrue(works(lonelyB, issued.plaintext()));

        lonelyA.revoke(ALICE, new TokenRef.ById(issued.info().id()));

        assertTrue(works(lonelyB, issued.plaintext()), "B has not heard: its cached answer stands");
        clock.advance(TTL);
        assertFalse(works(lonelyB, issued.plaintext()), "and is read again at the cache's age");
    }

    @Test
    void aRotationsEarlierEndCountsOnTheOtherServerAtOnce() {
        IssuedToken issued = serverA.issue(ALICE, null, null);
        assertTrue(works(serverB, issued.plaintext()), "cached on B as never ending");

        serverA.rotate(ALICE, new TokenRef.ById(issued.info().id()), Duration.ofMinutes(5), null, null);
        clock.advance(Duration.ofMinutes(5));

        assertFalse(works(serverB, issued.plaintext()), "B read the end the rotation set");
        assertEquals(List.of("token:" + issued.info().id()), sent);
    }

    @Test
    void disablingAnOwnerOnOneServerEndsTheirTokensOnTheOtherAtOnce() {
        IssuedToken one = serverA.issue(ALICE, null, null);
        IssuedToken two = serverA.issue(ALICE, null, null);
        IssuedToken bobs = serverA.issue(Actor.self("bob", null, "192.0.2.2"), null, null);
        assertTrue(works(serverB, one.plaintext()));
        assertTrue(works(serverB, two.plaintext()));
        assertTrue(works(serverB, bobs.plaintext()));

        disabled.add("alice");
        serverA.revokeAll(ALICE, "user disabled");

        assertFalse(works(serverB, one.plaintext()));
        assertFalse(works(serverB, two.plaintext()));
        assertTrue(works(serverB, bobs.plaintext()), "another owner's token is untouched");
        assertEquals(List.of("owner:alice"), sent);
    }

    @Test
    void aRefusedRevocationAnnouncesNothing() {
        IssuedToken bobs = serverA.issue(Actor.self("bob", null, "192.0.2.2"), null, null);

        assertThrows(TokenRuleViolation.class, () -> serverA.revoke(ALICE, new TokenRef.ById(bobs.info().id())));

        assertEquals(List.of(), sent);
    }

    @Test
    void forgettingEverythingMakesEveryTokenReadAgain() {
        IssuedToken issued = serverA.issue(ALICE, null, null);
        assertTrue(works(serverB, issued.plaintext()));
        store.row(issued.info().id()).revokedAt = NOW; // changed while nobody listened

        cacheB.forgetAll();

        assertFalse(works(serverB, issued.plaintext()));
    }

    @Test
    void messagesReadBackAsTheChangesTheyName() {
        assertEquals(Optional.of(new TokenChange.TokenEnded(42)), TokenChange.parse("token:42"));
        assertEquals(Optional.of(new TokenChange.OwnerChanged("a:b c")), TokenChange.parse("owner:a:b c"));
        assertEquals("owner:a:b c", new TokenChange.OwnerChanged("a:b c").message());
    }

    @Test
    void aMessageThisVersionDoesNotKnowIsIgnored() {
        assertEquals(Optional.empty(), TokenChange.parse(null));
        assertEquals(Optional.empty(), TokenChange.parse(""));
        assertEquals(Optional.empty(), TokenChange.parse("token:"));
        assertEquals(Optional.empty(), TokenChange.parse("token:12x"));
        assertEquals(Optional.empty(), TokenChange.parse("owner:"));
        assertEquals(Optional.empty(), TokenChange.parse("scope:7"));
    }
}
