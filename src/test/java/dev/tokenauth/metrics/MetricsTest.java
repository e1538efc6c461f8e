package dev.tokenauth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.token.TokenServiceFixture;
import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.audit.RecordingAuditStore;
import dev.tokenauth.throttle.Lockout;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.InMemoryTokenStore;
import dev.tokenauth.token.MutableClock;
import dev.tokenauth.token.RefusalReason;
import dev.tokenauth.token.TokenFormat;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenStore;
import dev.tokenauth.token.ValidationCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** The meters, driven through the real token service, validation cache and audit trail. */
class MetricsTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final Actor ALICE = Actor.self("alice", null, "192.0.2.1");
    private static final String ADDRESS = "192.0.2.9";

    private final java.util.Set<String> disabled = new java.util.HashSet<>();
    private Metrics metrics;
    private InMemoryTokenStore store;
    private MutableClock clock;
    private ValidationCache cache;
    private TokenService service;

    @BeforeEach
    void setUp() {
        metrics = Metrics.prometheus();
        store = new InMemoryTokenStore(disabled::contains);
        clock = new MutableClock(NOW);
        cache = ValidationCache.of(100, Duration.ofSeconds(1),
                () -> TimeUnit.MILLISECONDS.toNanos(clock.instant().toEpochMilli()));
        metrics.bindCache(cache);
        service = TokenServiceFixture.on(metrics.timed(store))
                .audit(new AuditTrail(new RecordingAuditStore(), clock, metrics::audited)).clock(clock).cache(cache).build();
    }

    @AfterEach
    void tearDown() {
        metrics.close();
    }

    @Test
    void contentTypeIsTheOneTheRegistrysTextWriterDeclares() {
        assertEquals(PrometheusTextFormatWriter.CONTENT_TYPE, Metrics.CONTENT_TYPE);
    }

    @Test
    void refusedTokensAreCountedByTheTokenLayersReason() {
        String revoked = service.issue(ALICE, null, null).plaintext();
        service.revoke(ALICE, TokenService.refTo(revoked));
        String expiring = service.issue(ALICE, Duration.ofSeconds(60), null).plaintext();
        Actor bob = Actor.self("bob", null, "192.0.2.2");
        String bobs = service.issue(bob, null, null).plaintext();
        disabled.add("bob");
        clock.advance(Duration.ofSeconds(61));

        service.authenticate("tka_not-a-token", ADDRESS);
        service.authenticate(TokenFormat.generate(new SecureRandom()), ADDRESS);
        service.authenticate(TokenFormat.generate(new SecureRandom()), ADDRESS);
        service.authenticate(revoked, ADDRESS);
        service.authenticate(expiring, ADDRESS);
        service.authenticate(bobs, ADDRESS);
        service.refusedUnusableHeader(ADDRESS);

        assertEquals(Map.of("malformed", 1.0, "unknown", 2.0, "revoked", 1.0, "expired", 1.0, "owner_disabled", 1.0,
                "unusable_header", 1.0), countedReasons());
    }

    @Test
    void everyReasonAndEveryLockoutHasItsSeriesFromTheStart() {
        assertEquals(Set.of("malformed", "unknown", "revoked", "expired", "owner_disabled", "unusable_header"),
                tags("tokenauth.token.refusals", "reason"));
        assertEquals(Set.of("token_address", "login_account", "login_address", "login_device"),
                tags("tokenauth.throttle.lockouts", "throttle"));
    }

    @Test
    void lockoutsAreCountedOncePerLockoutByTheKindTheEventCarries() {
        service.addressThrottled(ADDRESS, "30 failed token authentications within 1 minute(s)");
        metrics.audited(AuditEvent.of(NOW, AuditType.LOGIN_THROTTLED, null, null, ADDRESS, "account alice: 30 ...")
                .withKind(Lockout.LOGIN_ACCOUNT));
        metrics.audited(AuditEvent.of(NOW, AuditType.LOGIN_THROTTLED, null, null, ADDRESS, "address 192.0.2.9: ...")
                .withKind(Lockout.LOGIN_ADDRESS));
        metrics.audited(AuditEvent.of(NOW, AuditType.LOGIN_THROTTLED, null, null, ADDRESS, "address 192.0.2.8: ...")
                .withKind(Lockout.LOGIN_ADDRESS));
        metrics.audited(AuditEvent.of(NOW, AuditType.LOGIN_THROTTLED, null, null, ADDRESS,
                "device 1f0e3dad of account alice: 10 ...").withKind(Lockout.LOGIN_DEVICE));

        assertEquals(1.0, lockouts("token_address"));
        assertEquals(1.0, lockouts("login_account"));
        assertEquals(2.0, lockouts("login_address"));
        assertEquals(1.0, lockouts("login_device"));
    }

    @Test
    void anEventIsCountedByItsKindNeverByItsWords() {
        metrics.audited(AuditEvent.of(NOW, AuditType.LOGIN_THROTTLED, null, null, ADDRESS, "account alice: 30 ...")
                .withKind(Lockout.LOGIN_ADDRESS));
        metrics.audited(AuditEvent.of(NOW, AuditType.TOKEN_REFUSED, null, null, ADDRESS, "revoked")
                .withKind(RefusalReason.EXPIRED));
        metrics.audited(AuditEvent.of(NOW, AuditType.TOKEN_REFUSED, null, null, ADDRESS, "unknown"));

        assertEquals(0.0, lockouts("login_account"), "the words say account; the kind says address");
        assertEquals(1.0, lockouts("login_address"));
        assertEquals(Map.of("expired", 1.0), countedReasons(), "by the kind; an event without one is not counted");
    }

    @Test
    void aLoginRefusedByTheThrottleIsCountedAsThrottledLoginOnly() {
        metrics.loginThrottled();

        assertEquals(1.0, metrics.registry().get("tokenauth.throttled.requests").tag("throttle", "login").counter()
                .count());
        assertEquals(0.0, metrics.registry().get("tokenauth.throttled.requests").tag("throttle", "token").counter()
                .count());
    }

    @Test
    void aKnownTokenIsLookedUpOnceThenServedFromTheCacheUntilItsEntryAges() {
        String token = service.issue(ALICE, null, null).plaintext();

        for (int i = 0; i < 3; i++) {
            assertTrue(service.authenticate(token, ADDRESS).isPresent());
        }
        clock.advance(Duration.ofSeconds(2));
        assertTrue(service.authenticate(token, ADDRESS).isPresent());

        assertEquals(2.0, cacheGets("hit"));
        assertEquals(2.0, cacheGets("miss"));
        assertEquals(2, lookups("found").count());
        assertEquals(0, lookups("not_found").count());
        assertEquals(1.0, metrics.registry().get("tokenauth.token.cache.size").gauge().value());
    }

    @Test
    void anUnknownTokenIsAMissAndALookupThatFindsNothingEveryTime() {
        String unknown = TokenFormat.generate(new SecureRandom());

        service.authenticate(unknown, ADDRESS);
        service.authenticate(unknown, ADDRESS);

        assertEquals(0.0, cacheGets("hit"));
        assertEquals(2.0, cacheGets("miss"));
        assertEquals(2, lookups("not_found").count());
        assertEquals(0, lookups("found").count());
    }

    @Test
    void aFailedLookupIsTimedAsFailedAndStillThrows() {
        TokenStore broken = mock(TokenStore.class);
        when(broken.findByDigest("d")).thenThrow(new StoreUnavailableException("find token", null));
        TokenStore failing = metrics.timed(broken);

        assertThrows(StoreUnavailableException.class, () -> failing.findByDigest("d"));

        assertEquals(1, lookups("failed").count());
    }

    @Test
    void databaseUpIsOneWhileTheDatabaseAnswersAndZeroWhileItDoesNot() {
        AtomicBoolean answers = new AtomicBoolean(true);
        metrics.bindDatabase(answers::get);

        assertEquals(1.0, metrics.registry().get("tokenauth.database.up").gauge().value());
        answers.set(false);
        assertEquals(0.0, metrics.registry().get("tokenauth.database.up").gauge().value());
    }

    @Test
    void theScrapeIsPrometheusTextWithEveryTokenauthMeterAndTheJvms() throws Exception {
        metrics.bindDatabase(() -> true);
        metrics.authentication(Outcomes.Authentication.TOKEN);

        String text = scrape(metrics);

        for (String line : new String[] {"tokenauth_authentications_total{outcome=\"token\"} 1.0",
            "tokenauth_authentications_total{outcome=\"invalid_token\"} 0.0",
            "tokenauth_token_refusals_total{reason=\"unknown\"} 0.0",
            "tokenauth_throttled_requests_total{throttle=\"login\"} 0.0",
            "tokenauth_throttle_lockouts_total{throttle=\"token_address\"} 0.0",
            "tokenauth_token_cache_gets_total{result=\"hit\"} 0.0",
            "tokenauth_token_cache_evictions_total 0.0",
            "tokenauth_token_cache_size 0.0",
            "tokenauth_token_lookup_seconds_count{result=\"found\"} 0",
            "tokenauth_database_up 1.0"}) {
            assertTrue(text.contains("\n" + line + "\n"), () -> "the scrape should have the line " + line + ":\n" + text);
        }
        assertTrue(text.contains("\njvm_memory_used_bytes{"), "the JVM's meters too");
        assertTrue(text.contains("tokenauth_token_lookup_seconds_bucket{result=\"found\",le=\"0.001\"} 0"),
                () -> "the lookup is a histogram:\n" + text);
    }

    @Test
    void offCountsNothingScrapesNothingAndLeavesTheStoreAsItIs() throws Exception {
        Metrics off = Metrics.off();
        off.authentication(Outcomes.Authentication.TOKEN);
        off.audited(AuditEvent.of(NOW, AuditType.TOKEN_REFUSED, null, null, ADDRESS, "unknown")
                .withKind(RefusalReason.UNKNOWN));
        off.bindCache(cache);
        off.bindDatabase(() -> true);

        assertFalse(off.enabled());
        assertEquals("", scrape(off));
        assertSame(store, off.timed(store));
        off.close();
    }

    private static String scrape(Metrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.scrape(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Double> countedReasons() {
        Map<String, Double> counted = new TreeMap<>();
        for (Counter c : metrics.registry().find("tokenauth.token.refusals").counters()) {
            if (c.count() != 0) {
                counted.put(c.getId().getTag("reason"), c.count());
            }
        }
        return counted;
    }

    private Set<String> tags(String meter, String tag) {
        Set<String> values = new TreeSet<>();
        metrics.registry().find(meter).counters().forEach(c -> values.add(c.getId().getTag(tag)));
        return values;
    }

    private double lockouts(String throttle) {
        return metrics.registry().get("tokenauth.throttle.lockouts").tag("throttle", throttle).counter().count();
    }

    private double cacheGets(String result) {
        return metrics.registry().get("tokenauth.token.cache.gets").tag("result", result).functionCounter().count();
    }

    private Timer lookups(String result) {
        return metrics.registry().get("tokenauth.token.lookup").tag("result", result).timer();
    }
}
