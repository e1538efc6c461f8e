package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.token.NewToken;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenStore;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/**
 * The background writes of two servers on one database (two persistence units, each with its own connections, on
 * one Derby database) racing each other: an expiry is noted once, a last use never goes backwards, a purge takes
 * what no expiry check is about to note.
 */
class SeveralNodesStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    private final String url = "jdbc:derby:memory:nodes-" + UUID.randomUUID();
    private EntityManagerFactory nodeA;
    private EntityManagerFactory nodeB;
    private final StoreAvailability availabilityA = new StoreAvailability(Clock.systemUTC());
    private final StoreAvailability availabilityB = new StoreAvailability(Clock.systemUTC());
    private JpaTokenStore storeA;
    private JpaTokenStore storeB;

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @BeforeEach
    void twoNodesOnOneDatabase() {
        nodeA = open();
        nodeB = open();
        storeA = new JpaTokenStore(new Transactions(nodeA, availabilityA, true));
        storeB = new JpaTokenStore(new Transactions(nodeB, availabilityB, true));
    }

    private EntityManagerFactory open() {
        InMemoryDerby.migrate(url, ZoneId.systemDefault());
        EntityManagerFactory factory = Persistence.createEntityManagerFactory(Database.PERSISTENCE_UNIT, Map.of(
                "jakarta.persistence.jdbc.url", url + ";create=true",
                "jakarta.persistence.jdbc.driver", "org.apache.derby.iapi.jdbc.AutoloadedDriver",
                // Two units in one JVM need their own sessions, as two servers have.
                "eclipselink.session-name", "node-" + UUID.randomUUID()));
        factory.createEntityManager().close();
        return factory;
    }

    @AfterEach
    void dropTheDatabase() {
        nodeA.close();
        nodeB.close();
        InMemoryDerby.drop(url);
    }

    private TokenInfo token(String owner, Instant expiresAt) {
        return token(storeA, owner, expiresAt);
    }

    private static TokenInfo token(JpaTokenStore store, String owner, Instant expiresAt) {
        NewToken token = new NewToken(UUID.randomUUID().toString().replace("-", "") + "0".repeat(32),
                "tka_" + UUID.randomUUID().toString().substring(0, 6), owner, null, NOW.minusSeconds(3600), null,
                expiresAt, java.util.Set.of("read", "write"));
        return store.create(owner, null, parent -> new TokenStore.Creation(token,
                AuditEvent.of(NOW, AuditType.TOKEN_CREATED, owner, owner, null, null)), 1_000_000).orElseThrow();
    }

    /** Runs both tasks at once, from a common start, and returns their results. */
    private static <T> List<T> together(Callable<T> a, Callable<T> b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        try {
            Future<T> fa = pool.submit(() -> {
                start.await();
                return a.call();
            });
            Future<T> fb = pool.submit(() -> {
                start.await();
                return b.call();
            });
            return java.util.Arrays.asList(fa.get(), fb.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Notes expiries until nothing is left, as a node's background task does; returns what it noted. */
    private static List<Long> noteAll(JpaTokenStore store) {
        List<Long> noted = new ArrayList<>();
        for (List<TokenInfo> round = store.noteExpired(NOW); !round.isEmpty(); round = store.noteExpired(NOW)) {
            round.forEach(t -> noted.add(t.id()));
        }
        return noted;
    }

    @Test
    void twoNodesCheckingExpiriesAtTheSameTimeNoteEachExpiryExactlyOnce() throws Exception {
        for (int trial = 0; trial < 5; trial++) {
            Set<Long> expiring = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                expiring.add(token("owner-" + trial, NOW.minusSeconds(1)).id());
            }

            List<List<Long>> noted = together(() -> noteAll(storeA), () -> noteAll(storeB));

            List<Long> all = new ArrayList<>(noted.get(0));
            all.addAll(noted.get(1));
            assertEquals(expiring.size(), all.size(), "trial " + trial + ": every expiry once, never twice");
            assertEquals(expiring, new HashSet<>(all), "trial " + trial);
            long events = new JpaAuditStore(new Transactions(nodeA, availabilityA, true))
                    .query(new AuditQuery("owner-" + trial, 0, 500)).stream()
                    .filter(e -> e.type() == AuditType.TOKEN_EXPIRED).count();
            assertEquals(expiring.size(), events, "trial " + trial + ": one TOKEN_EXPIRED event per token");
        }
    }

    @Test
    void twoNodesMakingTheFirstTokensOfANewOwnerAtOnceBothSucceedAndReportNoOutage() throws Exception {
        for (int trial = 0; trial < 10; trial++) {
            String owner = "new-owner-" + trial;
            // Both insert the owner's lock row (its first token): one wins, the other finds the row made.
            List<TokenInfo> made = together(() -> token(storeA, owner, null), () -> token(storeB, owner, null));

            assertEquals(2, new HashSet<>(List.of(made.get(0).id(), made.get(1).id())).size(), "trial " + trial);
            assertEquals(2, storeB.listActive(owner, NOW).size(), "trial " + trial);
        }
        assertEquals(true, availabilityA.available(), "a lost race is not a database outage");
        assertEquals(true, availabilityB.available());
    }

    @Test
    void creationsOfOneOwnerOnBothNodesAtOnceStopExactlyAtTheLimit() throws Exception {
        int limit = 10;
        token(storeA, "carol", null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CyclicBarrier start = new CyclicBarrier(8);
        List<Callable<Boolean>> creations = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            JpaTokenStore store = i % 2 == 0 ? storeA : storeB;
            boolean first = i < 8;
            creations.add(() -> {
                if (first) {
                    // The first eight, one per thread, four on each node, begin together; the rest as threads free up.
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                NewToken token = new NewToken(UUID.randomUUID().toString().replace("-", "") + "0".repeat(32),
                        "tka_" + UUID.randomUUID().toString().substring(0, 6), "carol", null, NOW, null, null,
                        java.util.Set.of("read", "write"));
                return store.create("carol", null, parent -> new TokenStore.Creation(token,
                        AuditEvent.of(NOW, AuditType.TOKEN_CREATED, "carol", "carol", null, null)), limit).isPresent();
            });
        }
        List<Boolean> made = new ArrayList<>();
        try {
            for (Future<Boolean> f : pool.invokeAll(creations)) {
                made.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(limit - 1, made.stream().filter(Boolean::booleanValue).count(), made.toString());
        assertEquals(limit, storeB.listActive("carol", NOW).size());
        assertEquals(true, availabilityA.available(), "waiting for the owner's lock is no outage");
        assertEquals(true, availabilityB.available());
    }

    @Test
    void anOlderLastUseWrittenAfterANewerOneNeverReplacesIt() {
        TokenInfo t = token("alice", null);
        Instant newer = NOW.plusSeconds(60);

        storeA.recordLastUse(Map.of(t.id(), newer), Map.of(), 5);
        storeB.recordLastUse(Map.of(t.id(), NOW.plusSeconds(30)), Map.of(), 5);

        assertEquals(newer, storeB.listActive("alice", NOW).get(0).lastUsedAt());
    }

    @Test
    void twoNodesWritingLastUsesAtTheSameTimeLeaveTheNewest() throws Exception {
        List<TokenInfo> tokens = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tokens.add(token("bob", null));
        }
        for (int round = 1; round <= 10; round++) {
            Instant older = NOW.plusSeconds(round * 10L);
            Instant newer = older.plusSeconds(5);
            Map<Long, Instant> fromA = new java.util.HashMap<>();
            Map<Long, Instant> fromB = new java.util.HashMap<>();
            List<TokenInfo> shuffled = new ArrayList<>(tokens);
            Collections.shuffle(shuffled);
            for (int i = 0; i < shuffled.size(); i++) {
                fromA.put(shuffled.get(i).id(), i % 2 == 0 ? newer : older);
                fromB.put(shuffled.get(i).id(), i % 2 == 0 ? older : newer);
            }

            together(() -> {
                storeA.recordLastUse(fromA, Map.of(), 5);
                return null;
            }, () -> {
                storeB.recordLastUse(fromB, Map.of(), 5);
                return null;
            });

            for (TokenInfo listed : storeA.listActive("bob", NOW)) {
                assertEquals(newer, listed.lastUsedAt(), "round " + round + ", token " + listed.id());
            }
        }
    }

    @Test
    void twoNodesWritingTheAddressesOfTheSameTokensAtOnceKeepTheFiveNewestOfEach() throws Exception {
        List<TokenInfo> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(token("dave", null));
        }
        for (int round = 1; round <= 5; round++) {
            Instant base = NOW.plusSeconds(round * 100L);
            Map<Long, Map<String, Instant>> fromA = new java.util.HashMap<>();
            Map<Long, Map<String, Instant>> fromB = new java.util.HashMap<>();
            for (TokenInfo t : tokens) {
                // Both nodes saw 192.0.2.1 and 192.0.2.2 (at different times), and three addresses of their own.
                fromA.put(t.id(), Map.of("192.0.2.1", base.plusSeconds(9), "192.0.2.2", base.plusSeconds(1),
                        "198.51.100.1", base.plusSeconds(2), "198.51.100.2", base.plusSeconds(3),
                        "198.51.100.3", base.plusSeconds(4)));
                fromB.put(t.id(), Map.of("192.0.2.1", base.plusSeconds(1), "192.0.2.2", base.plusSeconds(8),
                        "203.0.113.1", base.plusSeconds(5), "203.0.113.2", base.plusSeconds(6),
                        "203.0.113.3", base.plusSeconds(7)));
            }

            together(() -> {
                storeA.recordLastUse(Map.of(), fromA, 5);
                return null;
            }, () -> {
                storeB.recordLastUse(Map.of(), fromB, 5);
                return null;
            });

            Map<Long, List<TokenInfo.UsedFrom>> stored = storeA.usedFrom(tokens.stream().map(TokenInfo::id).toList());
            for (TokenInfo t : tokens) {
                assertEquals(List.of(new TokenInfo.UsedFrom("192.0.2.1", base.plusSeconds(9)),
                        new TokenInfo.UsedFrom("192.0.2.2", base.plusSeconds(8)),
                        new TokenInfo.UsedFrom("203.0.113.3", base.plusSeconds(7)),
                        new TokenInfo.UsedFrom("203.0.113.2", base.plusSeconds(6)),
                        new TokenInfo.UsedFrom("203.0.113.1", base.plusSeconds(5))), stored.get(t.id()),
                        "round " + round + ", token " + t.id());
            }
        }
        assertEquals(true, availabilityA.available(), "a lost race on an address is not a database outage");
        assertEquals(true, availabilityB.available());
    }

    @Test
    void aLoweredMaximumLifetimeEndsOlderTokensAndEachIsNotedExpiredByOneNodeOnly() throws Exception {
        List<TokenInfo> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(token("erin", null));
        }
        java.time.Duration max = java.time.Duration.ofDays(1);
        Instant later = NOW.plus(java.time.Duration.ofDays(2));

        List<List<TokenInfo>> noted = together(() -> {
            storeA.capLifetimes(max);
            return storeA.noteExpired(later);
        }, () -> {
            storeB.capLifetimes(max);
            return storeB.noteExpired(later);
        });

        List<Long> all = new ArrayList<>();
        noted.forEach(n -> n.forEach(t -> all.add(t.id())));
        Collections.sort(all);
        assertEquals(tokens.stream().map(TokenInfo::id).sorted().toList(), all, "each noted once, by one node");
        for (TokenInfo t : tokens) {
            assertEquals(t.createdAt().plus(max), storeA.find("erin", t.id()).orElseThrow().expiresAt());
        }
    }

    @Test
    void aPurgeTakesRevokedTokensAndExpiredOnesAlreadyNotedButLeavesAnExpiryNotYetNoted() {
        Instant longAgo = NOW.minusSeconds(86400 * 40);
        TokenInfo revoked = token("carol", null);
        storeA.revoke("carol", new dev.tokenauth.token.TokenRef.ById(revoked.id()),
                dev.tokenauth.token.Revocation.byOwner(longAgo),
                AuditEvent.of(longAgo, AuditType.TOKEN_REVOKED, "carol", "carol", null, null));
        TokenInfo notedExpiry = token("carol", longAgo);
        storeA.noteExpired(NOW);
        TokenInfo notYetNoted = token("carol", longAgo);

        int purged = storeB.purgeEndedBefore(NOW.minusSeconds(86400 * 30));

        assertEquals(2, purged);
        assertEquals(List.of(notYetNoted.id()), storeA.noteExpired(NOW).stream().map(TokenInfo::id).toList(),
                "the expiry not yet noted is still there to be noted, once");
        assertEquals(1, storeB.purgeEndedBefore(NOW.minusSeconds(86400 * 30)), "and is purged after that");
        assertEquals(List.of(), storeA.listActive("carol", NOW));
        assertEquals(notedExpiry.owner(), "carol");
    }
}
