package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.RecordingAuditStore;
import dev.tokenauth.user.InMemoryUserStore;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.UserService;

/** The validation cache's rules, driven through the token service with a clock the test moves. */
class ValidationCacheTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");

    private final Set<String> disabled = new HashSet<>();
    private InMemoryTokenStore store;
    private MutableClock clock;
    private ValidationCache cache;
    private TokenService service;

    @BeforeEach
    void setUp() {
        store = new InMemoryTokenStore(disabled::contains);
        clock = new MutableClock(NOW);
        cache = ValidationCache.of(100, TTL, ticker(clock));
        service = TokenServiceFixture.on(store).clock(clock).cache(cache).build();
    }

    private static Ticker ticker(MutableClock clock) {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.instant().toEpochMilli());
    }

    private boolean works(String plaintext) {
        return service.authenticate(plaintext, "192.0.2.9").isPresent();
    }

    /** How many lookups by digest reach the store while {@code r} runs. */
    private int storeReadsDuring(Runnable r) {
        int before = store.calls;
        r.run();
        return store.calls - before;
    }

    @Test
    void aTokenUsedAgainWithinTheTtlIsAuthenticatedWithoutReadingTheStore() {
        String token = service.issue(ALICE, null, null).plaintext();
        assertEquals(1, storeReadsDuring(() -> assertTrue(works(token))), "the first use reads the store");

        clock.advance(Duration.ofMillis(999));

        assertEquals(0, storeReadsDuring(() -> assertTrue(works(token))), "a hit reads nothing");
        assertEquals(1, cache.stats().hitCount());
    }

    @Test
    void aLookupSaysWhetherItsAnswerCameFromAnEntryKeptSinceAnEarlierRead() {
        String digest = TokenFormat.digest(service.issue(ALICE, null, null).plaintext());

        assertFalse(cache.lookUp(digest, store::findByDigest).kept(), "the first lookup reads the store");
        ValidationCache.Lookup again = cache.lookUp(digest, store::findByDigest);
        assertTrue(again.kept());
        assertEquals(cache.find(digest, store::findByDigest), again.found());

        clock.advance(TTL);
        assertFalse(cache.lookUp(digest, store::findByDigest).kept(), "aged out: read again");
        assertTrue(cache.lookUp(digest, store::findByDigest).kept());
        cache.forgetAll();
        assertFalse(cache.lookUp(digest, store::findByDigest).kept(), "forgotten: read again");

        ValidationCache noAge = ValidationCache.of(100, Duration.ZERO, ticker(clock));
        assertFalse(noAge.lookUp(digest, store::findByDigest).kept());
        assertFalse(noAge.lookUp(digest, store::findByDigest).kept(), "nothing is kept without an age");
    }

    @Test
    void requestsServedFromAKeptEntryDoNotVouchAgainSoAnExpiredVouchingIsRenewedAtTheEntrysNextRead() {
        String token = service.issue(ALICE, null, null).plaintext();
        assertTrue(works(token));
        assertTrue(service.knownGood(token));

        // Read again half a TTL before the day since the vouching is over: already known as good then.
        clock.advance(ValidationCache.KNOWN_GOOD_FOR.minus(TTL.dividedBy(2)));
        assertEquals(1, storeReadsDuring(() -> assertTrue(works(token))));
        clock.advance(TTL.dividedBy(2).plusMillis(100));
        assertEquals(0, storeReadsDuring(() -> assertTrue(works(token))), "served from the entry read just before");
        assertFalse(service.knownGood(token), "the day is over, and a kept entry's requests do not vouch");

        clock.advance(Duration.ofMillis(400));
        assertEquals(1, storeReadsDuring(() -> assertTrue(works(token))), "the entry aged out");
        assertTrue(service.knownGood(token), "the read vouched for it again: at most one TTL without");
    }

    @Test
    void anEntryOlderThanTheTtlIsReadAgainSoAChangeMadeElsewhereCountsWithinIt() {
        IssuedToken issued = service.issue(ALICE, null, null);
        assertTrue(works(issued.plaintext()));
        // Another server on the same database revokes it: nothing of this process hears of it.
        store.row(issued.info().id()).revokedAt = NOW;

        assertTrue(works(issued.plaintext()), "within the TTL the cached state stands");
        clock.advance(TTL);

        assertEquals(1, storeReadsDuring(() -> assertFalse(works(issued.plaintext()))));
    }

    @Test
    void anUnknownTokenIsNeverKeptAndReadsTheStoreEveryTime() {
        String unknown = TokenFormat.generate(new SecureRandom());

        assertEquals(3, storeReadsDuring(() -> {
            for (int i = 0; i < 3; i++) {
                assertFalse(works(unknown));
            }
        }));
        assertEquals(0, cache.size());
    }

    @Test
    void aCachedTokenIsRefusedFromTheVeryInstantOfItsExpiry() {
        String token = service.issue(ALICE, Duration.ofMillis(1500), null).plaintext();
        clock.advance(Duration.ofMillis(800));
        assertTrue(works(token), "now cached, for up to a second more");

        clock.advance(Duration.ofMillis(699));
        assertEquals(0, storeReadsDuring(() -> assertTrue(works(token))), "one millisecond before, from the cache");
        clock.advance(Duration.ofMillis(1));
        assertEquals(0, storeReadsDuring(() -> assertFalse(works(token))), "at expires_at, refused from the cache");
    }

    @Test
    void aRevokedTokenIsKeptAsRevokedAndRefusedWithoutARead() {
        IssuedToken issued = service.issue(ALICE, null, null);
        service.revoke(ALICE, new TokenRef.ById(issued.info().id()));
        assertFalse(works(issued.plaintext()));

        assertEquals(0, storeReadsDuring(() -> assertFalse(works(issued.plaintext()))));
    }

    @Test
    void revokingByTheTokenCountsOnTheVeryNextRequest() {
        String token = service.issue(ALICE, null, null).plaintext();
        assertTrue(works(token));

        service.revoke(ALICE, TokenService.refTo(token));

        assertFalse(works(token));
    }

    @Test
    void revokingByIdCountsOnTheVeryNextRequest() {
        IssuedToken issued = service.issue(ALICE, null, null);
        assertTrue(works(issued.plaintext()));

        service.revoke(ALICE, new TokenRef.ById(issued.info().id()));

        assertFalse(works(issued.plaintext()));
    }

    @Test
    void aRotationWithoutGraceEndsTheOldTokenOnTheVeryNextRequest() {
        IssuedToken issued = service.issue(ALICE, null, null);
        assertTrue(works(issued.plaintext()));

        TokenService.Rotated rotated = service.rotate(ALICE, new TokenRef.ById(issued.info().id()), Duration.ZERO,
                null, null);

        assertFalse(works(issued.plaintext()));
        assertTrue(works(rotated.successor().plaintext()));
    }

    @Test
    void aRotatedTokenCachedBeforeTheRotationStopsExactlyAtTheEndOfItsGrace() {
        IssuedToken issued = service.issue(ALICE, null, null);
        assertTrue(works(issued.plaintext()));
        service.rotate(ALICE, TokenService.refTo(issued.plaintext()), Duration.ofSeconds(30), null, null);
        assertTrue(works(issued.plaintext()), "in its grace period");

        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertTrue(works(issued.plaintext()));
        clock.advance(Duration.ofMillis(1));
        assertFalse(works(issued.plaintext()));
    }

    @Test
    void revokingAllOfAUsersTokensCountsOnTheVeryNextRequest() {
        String first = service.issue(ALICE, null, null).plaintext();
        String second = service.issue(ALICE, null, null).plaintext();
        assertTrue(works(first) && works(second));

        service.revokeAll(ALICE, "test");

        assertFalse(works(first));
        assertFalse(works(second));
    }

    @Test
    void disablingTheOwnerCountsOnTheVeryNextRequest() {
        InMemoryUserStore userStore = new InMemoryUserStore();
        UserService users = new UserService(userStore, new PasswordHasher(1000, new SecureRandom()));
        users.create("alice", "a long password", false);
        InMemoryTokenStore storeOfUsers = new InMemoryTokenStore(users::isDisabled);
        TokenService tokens = TokenServiceFixture.on(storeOfUsers).clock(clock)
                .cache(ValidationCache.of(100, TTL, ticker(clock))).build();
        String token = tokens.issue(ALICE, null, null).plaintext();
        assertTrue(tokens.authenticate(token, "192.0.2.9").isPresent());

        new UserAdministration(users, tokens, new AuditTrail(new RecordingAuditStore()), clock)
                .disable(Actor.self("admin", null, "192.0.2.3"), "alice");

        assertEquals(Optional.empty(), tokens.authenticate(token, "192.0.2.9"));
    }

    @Test
    void aLookupUnderWayWhenTheTokenIsRevokedDoesNotPutItsOlderAnswerBack() {
        IssuedToken issued = service.issue(ALICE, null, null);
        store.duringFind = () -> {
            store.duringFind = () -> { };
            service.revoke(ALICE, new TokenRef.ById(issued.info().id()));
        };

        assertTrue(works(issued.plaintext()), "that request read the token before the revocation");

        assertFalse(works(issued.plaintext()), "the next one does not see the older answer");
    }

    @Test
    void aFailingStoreIsNotAskedWhileAFreshEntryStandsAndRefusesOnceItIsStale() {
        String token = service.issue(ALICE, null, null).plaintext();
        assertTrue(works(token));
        store.lookupsFail = true;

        assertTrue(works(token), "a fresh entry needs no store");
        clock.advance(TTL);
        assertThrows(StoreUnavailableException.class, () -> works(token), "no fresh entry: fail closed");
    }

    @Test
    void aFailingStoreWithNothingCachedFailsClosed() {
        String token = service.issue(ALICE, null, null).plaintext();
        store.lookupsFail = true;

        assertThrows(StoreUnavailableException.class, () -> works(token));
    }

    @Test
    void theCacheKeepsAtMostItsSizeInTokens() {
        cache = ValidationCache.of(10, TTL, ticker(clock));
        service = TokenServiceFixture.on(store)
                .policy(new TokenPolicy(null, null, Duration.ofDays(1), Duration.ofDays(7), 100, Duration.ofDays(30)))
                .clock(clock).cache(cache).build();
        for (int i = 0; i < 50; i++) {
            assertTrue(works(service.issue(ALICE, null, null).plaintext()));
        }

        assertTrue(cache.size() <= 10, "kept " + cache.size());
        assertTrue(cache.stats().evictionCount() >= 40, cache.stats().toString());
    }

    @Test
    void sizeZeroOrTtlZeroTurnItOffAndEveryAuthenticationReadsTheStore() {
        assertFalse(ValidationCache.of(0, TTL, ticker(clock)).enabled());
        assertFalse(ValidationCache.of(100, Duration.ZERO, ticker(clock)).enabled());
        service = TokenServiceFixture.on(store).clock(clock).build();
        String token = service.issue(ALICE, null, null).plaintext();

        assertEquals(3, storeReadsDuring(() -> {
            for (int i = 0; i < 3; i++) {
                assertTrue(works(token));
            }
        }));
    }

    // --- tokens known as good, for a throttled address ---------------------------------------------------------

    @Test
    void aTokenThatAuthenticatedIsKnownAsGoodForADayLongAfterItsEntryIsStaleWithoutAnyRead() {
        String token = service.issue(ALICE, null, null).plaintext();
        assertFalse(service.knownGood(token), "not before it has authenticated a request");
        works(token);

        clock.advance(ValidationCache.KNOWN_GOOD_FOR.minusSeconds(1));

        assertEquals(0, storeReadsDuring(() -> assertTrue(service.knownGood(token))));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(service.knownGood(token), "a day after its last vouching");
    }

    @Test
    void aRefusedUnknownOrMalformedTokenIsNeverKnownAsGood() {
        IssuedToken issued = service.issue(ALICE, null, null);
        service.revoke(ALICE, new TokenRef.ById(issued.info().id()));
        String unknown = TokenFormat.generate(new SecureRandom());
        works(issued.plaintext());
        works(unknown);

        assertFalse(service.knownGood(issued.plaintext()));
        assertFalse(service.knownGood(unknown));
        assertFalse(service.knownGood("not a token"));
    }

    @Test
    void withATtlOfZeroNothingIsCachedButGoodTokensAreStillKnown() {
        cache = ValidationCache.of(100, Duration.ZERO, ticker(clock));
        service = TokenServiceFixture.on(store).clock(clock).cache(cache).build();
        String token = service.issue(ALICE, null, null).plaintext();
        works(token);

        assertEquals(1, storeReadsDuring(() -> assertTrue(works(token))), "every use reads the store");
        assertTrue(service.knownGood(token));
        assertFalse(cache.enabled());
    }

    @Test
    void offKnowsNoTokenAsGood() {
        service = TokenServiceFixture.on(store).clock(clock).build();
        String token = service.issue(ALICE, null, null).plaintext();
        works(token);

        assertFalse(service.knownGood(token));
    }

    // --- one read for the requests that find a good token's entry aged out ------------------------------------

    /** A token found by the store, active, of alice. */
    private static TokenStore.Found found(long id) {
        return new TokenStore.Found(new TokenInfo(id, "tka_abc", "alice", null, NOW, null, null, null, null, null, null), false);
    }

    /** A store read that waits for {@code release}, counting its calls; then answers {@code answers} in turn. */
    private static final class HeldStore implements java.util.function.Function<String, Optional<TokenStore.Found>> {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.function.IntFunction<Optional<TokenStore.Found>> answers;

        HeldStore(java.util.function.IntFunction<Optional<TokenStore.Found>> answers) {
            this.answers = answers;
        }

        @Override
        public Optional<TokenStore.Found> apply(String digest) {
            int call = calls.incrementAndGet();
            if (call == 1) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return answers.apply(call);
        }
    }

    /** Starts {@code n} lookups of {@code digest} on their own threads, the first holding the store; their answers. */
    private java.util.List<java.util.concurrent.Future<Optional<TokenStore.Found>>> lookups(String digest,
            HeldStore held, int n, java.util.concurrent.ExecutorService pool) throws Exception {
        java.util.List<java.util.concurrent.Future<Optional<TokenStore.Found>>> answers = new java.util.ArrayList<>();
        answers.add(pool.submit(() -> cache.find(digest, held)));
        assertTrue(held.entered.await(10, TimeUnit.SECONDS), "the first lookup reads the store");
        for (int i = 1; i < n; i++) {
            answers.add(pool.submit(() -> cache.find(digest, held)));
        }
        return answers;
    }

    /** Lets the held read go once {@code waiting} other lookups wait for it (seen in their threads' stacks). */
    private static void releaseWhenWaiting(HeldStore held, java.util.concurrent.ThreadPoolExecutor pool, int waiting)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waitingForASharedRead() < waiting && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(waiting, waitingForASharedRead(), "lookups waiting for the read under way");
        held.release.countDown();
    }

    private static long waitingForASharedRead() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> java.util.Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("await")
                        && frame.getClassName().equals(ValidationCache.class.getName() + "$Read")))
                .count();
    }

    @Test
    void requestsForAGoodTokenWhoseEntryAgedOutShareOneReadOfTheStore() throws Exception {
        String digest = "a".repeat(64);
        cache.vouchFor(digest);
        HeldStore held = new HeldStore(call -> Optional.of(found(7)));
        java.util.concurrent.ThreadPoolExecutor pool =
                (java.util.concurrent.ThreadPoolExecutor) java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var answers = lookups(digest, held, 8, pool);
            releaseWhenWaiting(held, pool, 7);
            for (var answer : answers) {
                assertEquals(7, answer.get(10, TimeUnit.SECONDS).orElseThrow().token().id());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, held.calls.get(), "one read for the eight requests");
    }

    @Test
    void requestsForAnUnknownTokenReadTheStoreEach() throws Exception {
        HeldStore held = new HeldStore(call -> Optional.empty());
        java.util.concurrent.ThreadPoolExecutor pool =
                (java.util.concurrent.ThreadPoolExecutor) java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var answers = lookups("b".repeat(64), held, 4, pool);
            for (int i = 1; i < 4; i++) {
                assertTrue(answers.get(i).get(10, TimeUnit.SECONDS).isEmpty(), "not held: its own read");
            }
            held.release.countDown();
            assertTrue(answers.get(0).get(10, TimeUnit.SECONDS).isEmpty());
        } finally {
            pool.shutdownNow();
        }

        assertEquals(4, held.calls.get());
    }

    @Test
    void aRequestThatCameAfterAChangeDoesNotTakeTheAnswerOfAReadThatBeganBeforeIt() throws Exception {
        String digest = "c".repeat(64);
        cache.vouchFor(digest);
        TokenStore.Found revoked = new TokenStore.Found(new TokenInfo(7, "tka_abc", "alice", null, NOW, null, null,
                null, NOW, null, null), false);
        HeldStore held = new HeldStore(call -> Optional.of(call == 1 ? found(7) : revoked));
        java.util.concurrent.ThreadPoolExecutor pool =
                (java.util.concurrent.ThreadPoolExecutor) java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> cache.find(digest, held));
            assertTrue(held.entered.await(10, TimeUnit.SECONDS));
            cache.forgetToken(7);
            var after = pool.submit(() -> cache.find(digest, held));

            assertEquals(NOW, after.get(10, TimeUnit.SECONDS).orElseThrow().token().revokedAt(),
                    "the later request read for itself, without waiting for the read under way");
            held.release.countDown();

            assertEquals(null, first.get(10, TimeUnit.SECONDS).orElseThrow().token().revokedAt(),
                    "the read under way keeps its answer for its own request");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, held.calls.get());
    }

    @Test
    void aRequestWaitingForAReadWhenAChangeIsMadeReadsForItselfAfterIt() throws Exception {
        String digest = "e".repeat(64);
        cache.vouchFor(digest);
        TokenStore.Found revoked = new TokenStore.Found(new TokenInfo(7, "tka_abc", "alice", null, NOW, null, null,
                null, NOW, null, null), false);
        HeldStore held = new HeldStore(call -> Optional.of(call == 1 ? found(7) : revoked));
        java.util.concurrent.ThreadPoolExecutor pool =
                (java.util.concurrent.ThreadPoolExecutor) java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var answers = lookups(digest, held, 2, pool);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waitingForASharedRead() < 1 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            cache.forgetToken(7);
            held.release.countDown();

            assertEquals(null, answers.get(0).get(10, TimeUnit.SECONDS).orElseThrow().token().revokedAt());
            assertEquals(NOW, answers.get(1).get(10, TimeUnit.SECONDS).orElseThrow().token().revokedAt(),
                    "the waiting request did not take the older answer");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, held.calls.get());
    }

    @Test
    void afterASharedReadFailedTheNextRequestReadsTheStoreAgain() throws Exception {
        String digest = "f".repeat(64);
        cache.vouchFor(digest);
        HeldStore held = new HeldStore(call -> {
            if (call == 1) {
                throw new StoreUnavailableException("token lookup", new IllegalStateException("db down"));
            }
            return Optional.of(found(7));
        });
        held.release.countDown();

        assertThrows(StoreUnavailableException.class, () -> cache.find(digest, held));
        assertEquals(7, cache.find(digest, held).orElseThrow().token().id());
        assertEquals(2, held.calls.get());
    }

    @Test
    void theSharedReadsFailureFailsEveryRequestThatWaitedForIt() throws Exception {
        String digest = "d".repeat(64);
        cache.vouchFor(digest);
        HeldStore held = new HeldStore(call -> {
            throw new StoreUnavailableException("token lookup", new IllegalStateException("db down"));
        });
        java.util.concurrent.ThreadPoolExecutor pool =
                (java.util.concurrent.ThreadPoolExecutor) java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var answers = lookups(digest, held, 4, pool);
            releaseWhenWaiting(held, pool, 3);
            for (var answer : answers) {
                var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> answer.get(10, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof StoreUnavailableException, failure.toString());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, held.calls.get());
    }
}
