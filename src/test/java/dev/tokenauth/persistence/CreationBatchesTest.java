package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.token.NewToken;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenRuleViolation;
import dev.tokenauth.token.TokenStore.Creation;
import dev.tokenauth.token.ViolationKind;
import jakarta.persistence.EntityManagerFactory;

/**
 * Creations of one owner that wait while another of its creations is in the database are made together, in one
 * transaction, each with its own outcome: on the real store (EclipseLink on an in-memory Derby). The first creation
 * is held inside its transaction until the others wait for the owner's turn, so that the batch is certain.
 */
class CreationBatchesTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private String url;
    private EntityManagerFactory factory;
    private JpaTokenStore store;
    private StoreAvailability availability;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Thread> madeOn = new ConcurrentHashMap<>();
    private final Map<String, Optional<TokenInfo>> parentOf = new ConcurrentHashMap<>();

    @BeforeAll
    static void derbyLogsIntoTarget() {
        System.setProperty("derby.stream.error.file", "target/derby-unit-tests.log");
    }

    @BeforeEach
    void openAnEmptyDatabase() {
        url = "jdbc:derby:memory:batches-" + UUID.randomUUID();
        factory = InMemoryDerby.open(url);
        store = storeWaiting(Duration.ofSeconds(10));
    }

    private JpaTokenStore storeWaiting(Duration wait) {
        availability = new StoreAvailability(java.time.Clock.systemUTC());
        return new JpaTokenStore(new Transactions(factory, availability, true), AuditRecords.WITHOUT_WEBHOOK, wait);
    }

    @AfterEach
    void dropTheDatabase() {
        threads.shutdownNow();
        if (factory.isOpen()) {
            factory.close();
        }
        InMemoryDerby.drop(url);
    }

    /** A creation of alice's token labelled {@code label}, noting the thread that made it. */
    private Function<Optional<TokenInfo>, Creation> creation(String label) {
        return creation(label, "tka_" + label);
    }

    private Function<Optional<TokenInfo>, Creation> creation(String label, String displayPrefix) {
        return parent -> {
            madeOn.put(label, Thread.currentThread());
            parentOf.put(label, parent);
            return new Creation(new NewToken(UUID.randomUUID().toString().replace("-", "") + label, displayPrefix,
                    "alice", label, NOW, null, null, Set.of("read", "write")),
                    AuditEvent.of(NOW, AuditType.TOKEN_CREATED, "alice", null, "192.0.2.1", "from a login session"));
        };
    }

    /** A token of alice's that expired an hour ago. */
    private static Function<Optional<TokenInfo>, Creation> expired(String label) {
        return parent -> new Creation(new NewToken(UUID.randomUUID().toString().replace("-", "") + label,
                "tka_" + label, "alice", label, NOW.minusSeconds(7200), null, NOW.minusSeconds(3600),
                Set.of("read", "write")),
                AuditEvent.of(NOW, AuditType.TOKEN_CREATED, "alice", null, "192.0.2.1", "from a login session"));
    }

    private static Function<Optional<TokenInfo>, Creation> refused() {
        return parent -> {
            throw new TokenRuleViolation(ViolationKind.INVALID, "Refused by the test.");
        };
    }

    /**
     * Starts the first creation, holds it inside its transaction, starts the others once it is there, one by one, and
     * releases it once they all wait for alice's turn; the futures in the order given.
     */
    private List<Future<Optional<TokenInfo>>> createWhileTheFirstIsHeld(int limit,
            List<Function<Optional<TokenInfo>, Creation>> makes) throws Exception {
        return createWhileTheFirstIsHeld(limit, null, makes);
    }

    private List<Future<Optional<TokenInfo>>> createWhileTheFirstIsHeld(int limit, Long parentId,
            List<Function<Optional<TokenInfo>, Creation>> makes) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Function<Optional<TokenInfo>, Creation> first = makes.get(0);
        List<Future<Optional<TokenInfo>>> outcomes = new ArrayList<>();
        outcomes.add(threads.submit(() -> store.create("alice", parentId, parent -> {
            inside.countDown();
            await(release);
            return first.apply(parent);
        }, limit)));
        assertTrue(inside.await(10, TimeUnit.SECONDS), "the first creation reached its transaction");
        // One after the other, so that they come in the order given.
        for (int i = 1; i < makes.size(); i++) {
            Function<Optional<TokenInfo>, Creation> make = makes.get(i);
            outcomes.add(threads.submit(() -> store.create("alice", parentId, make, limit)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.batches().waiting("alice") < i && System.nanoTime() < until) {
                Thread.sleep(2);
            }
            assertEquals(i, store.batches().waiting("alice"), "creations waiting for alice's turn");
        }
        release.countDown();
        return outcomes;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Throwable failureOf(Future<?> f) throws InterruptedException {
        try {
            f.get(20, TimeUnit.SECONDS);
            throw new AssertionError("succeeded");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no outcome in 20 s", e);
        }
    }

    private List<String> column(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    @Test
    void creationsWaitingForTheOwnersTurnAreMadeTogetherOnOneThreadEachWithItsOwnTokenAndEvent() throws Exception {
        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(10,
                List.of(creation("a"), creation("b"), creation("c"), creation("d")));

        List<String> labels = new ArrayList<>();
        for (Future<Optional<TokenInfo>> f : outcomes) {
            labels.add(f.get(20, TimeUnit.SECONDS).orElseThrow().label());
        }
        assertEquals(List.of("a", "b", "c", "d"), labels);
        assertEquals(madeOn.get("b"), madeOn.get("c"), "b and c in one batch");
        assertEquals(madeOn.get("b"), madeOn.get("d"), "b and d in one batch");
        assertEquals(List.of("a", "b", "c", "d"), column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
        assertEquals(List.of("tka_a", "tka_b", "tka_c", "tka_d"),
                column("SELECT TOKEN_PREFIX FROM TA_AUDIT WHERE EVENT = 'TOKEN_CREATED' ORDER BY ID"));
        assertEquals(column("SELECT ID FROM TA_TOKEN ORDER BY ID"),
                column("SELECT TOKEN_ID FROM TA_AUDIT ORDER BY ID"),
                "each event names its own token");
        assertEquals(List.of("4"), column("SELECT ACTIVE_TOKENS FROM TA_TOKEN_OWNER"));
        assertEquals(0, store.batches().openTurns());
    }

    @Test
    void aCreationOfABatchThatBreaksARuleEndsAloneAndTheOthersAreMade() throws Exception {
        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(10,
                List.of(creation("a"), creation("b"), refused(), creation("d")));

        assertEquals("b", outcomes.get(1).get(20, TimeUnit.SECONDS).orElseThrow().label());
        TokenRuleViolation refusal = assertInstanceOf(TokenRuleViolation.class, failureOf(outcomes.get(2)));
        assertEquals(ViolationKind.INVALID, refusal.kind());
        assertEquals("d", outcomes.get(3).get(20, TimeUnit.SECONDS).orElseThrow().label());
        assertEquals(madeOn.get("b"), madeOn.get("d"), "b and d in one batch");
        assertEquals(List.of("a", "b", "d"), column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
        assertEquals(3, column("SELECT ID FROM TA_AUDIT WHERE EVENT = 'TOKEN_CREATED'").size());
        assertEquals(List.of("3"), column("SELECT ACTIVE_TOKENS FROM TA_TOKEN_OWNER"));
    }

    @Test
    void theLimitHoldsExactlyWithinABatch() throws Exception {
        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(3,
                List.of(creation("a"), creation("b"), creation("c"), creation("d"), creation("e")));

        List<Optional<String>> labels = new ArrayList<>();
        for (Future<Optional<TokenInfo>> f : outcomes) {
            labels.add(f.get(20, TimeUnit.SECONDS).map(TokenInfo::label));
        }
        assertEquals(List.of(Optional.of("a"), Optional.of("b"), Optional.of("c"), Optional.empty(), Optional.empty()),
                labels, "the first three, in the order they came; the limit for the others");
        assertEquals(madeOn.get("b"), madeOn.get("e"), "b to e in one batch");
        assertEquals(List.of("a", "b", "c"), column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
        assertEquals(List.of("3"), column("SELECT ACTIVE_TOKENS FROM TA_TOKEN_OWNER"));
    }

    @Test
    void aBatchAtTheOwnersBoundCountsTheActiveTokensAndTheLimitStaysExact() throws Exception {
        // Two expired tokens still in the bound: the batch counts, finds room for two more, and counts again.
        store.create("alice", null, expired("x"), 3).orElseThrow();
        store.create("alice", null, expired("y"), 3).orElseThrow();
        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(3,
                List.of(creation("a"), creation("b"), creation("c"), creation("d")));

        List<Optional<String>> labels = new ArrayList<>();
        for (Future<Optional<TokenInfo>> f : outcomes) {
            labels.add(f.get(20, TimeUnit.SECONDS).map(TokenInfo::label));
        }
        assertEquals(List.of(Optional.of("a"), Optional.of("b"), Optional.of("c"), Optional.empty()), labels);
        assertEquals(madeOn.get("b"), madeOn.get("d"), "b to d in one batch");
        assertEquals(List.of("x", "y", "a", "b", "c"), column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
        assertEquals(List.of("3"), column("SELECT ACTIVE_TOKENS FROM TA_TOKEN_OWNER"), "counted: a, b and c");
    }

    @Test
    void aStatementTheDatabaseRefusesFailsOnlyItsOwnCreationAndTheOthersOfItsBatchAreMadeAlone() throws Exception {
        // A display prefix longer than its column: the database refuses c's insert, and with it the batch.
        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(10,
                List.of(creation("a"), creation("b"), creation("c", "tka_" + "x".repeat(40)), creation("d")));

        assertEquals("a", outcomes.get(0).get(20, TimeUnit.SECONDS).orElseThrow().label());
        assertEquals("b", outcomes.get(1).get(20, TimeUnit.SECONDS).orElseThrow().label());
        assertInstanceOf(StoreUnavailableException.class, failureOf(outcomes.get(2)));
        assertEquals("d", outcomes.get(3).get(20, TimeUnit.SECONDS).orElseThrow().label());
        assertEquals(List.of("a", "b", "d"), column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
        assertEquals(List.of("tka_a", "tka_b", "tka_d"),
                column("SELECT TOKEN_PREFIX FROM TA_AUDIT WHERE EVENT = 'TOKEN_CREATED' ORDER BY ID"));
        assertEquals(List.of("3"), column("SELECT ACTIVE_TOKENS FROM TA_TOKEN_OWNER"));
        assertEquals(0, store.batches().openTurns());
    }

    @Test
    void moreCreationsWaitingThanOneBatchTakesAreMadeInBatchesOfSixteenInTheOrderTheyCame() throws Exception {
        List<Function<Optional<TokenInfo>, Creation>> makes = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            String label = "t" + (char) ('a' + i);
            labels.add(label);
            makes.add(creation(label));
        }
        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(100, makes);

        for (int i = 0; i < outcomes.size(); i++) {
            assertEquals(labels.get(i), outcomes.get(i).get(20, TimeUnit.SECONDS).orElseThrow().label());
        }
        assertEquals(labels, column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
        Set<Thread> firstBatch = new java.util.HashSet<>();
        for (String label : labels.subList(1, 17)) {
            firstBatch.add(madeOn.get(label));
        }
        assertEquals(1, firstBatch.size(), "the sixteen that waited first, on one thread");
        assertEquals(madeOn.get(labels.get(17)), madeOn.get(labels.get(20)), "the last four together");
        // One thread may run both batches (the holder whose own creation is in the second), so they are counted.
        assertEquals(3, store.batches().batchesRun(), "the first alone, then sixteen, then four");
        assertEquals(List.of("21"), column("SELECT ACTIVE_TOKENS FROM TA_TOKEN_OWNER"));
        assertEquals(0, store.batches().openTurns());
    }

    @Test
    void eachCreationOfABatchIsGivenItsCreatingTokenAsStored() throws Exception {
        TokenInfo parent = store.create("alice", null, creation("p"), 10).orElseThrow();
        madeOn.clear();

        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(10, parent.id(),
                List.of(creation("a"), creation("b"), creation("c")));

        for (Future<Optional<TokenInfo>> f : outcomes) {
            f.get(20, TimeUnit.SECONDS).orElseThrow();
        }
        assertEquals(madeOn.get("b"), madeOn.get("c"), "b and c in one batch");
        for (String label : List.of("a", "b", "c")) {
            assertEquals(parent.id(), parentOf.get(label).orElseThrow().id(), label + "'s creating token");
            assertEquals("p", parentOf.get(label).orElseThrow().label());
        }
    }

    @Test
    void aCreationThatWaitsLongerThanTheDatabaseTimeoutForTheOwnersTurnIsRefusedAndNeverMade() throws Exception {
        store = storeWaiting(Duration.ofMillis(300));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Optional<TokenInfo>> first = threads.submit(() -> store.create("alice", null, parent -> {
            inside.countDown();
            await(release);
            return creation("a").apply(parent);
        }, 10));
        assertTrue(inside.await(10, TimeUnit.SECONDS), "the first creation reached its transaction");

        long start = System.nanoTime();
        Future<Optional<TokenInfo>> second = threads.submit(() -> store.create("alice", null, creation("b"), 10));
        Throwable refusal = failureOf(second);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        boolean availableAfterTheRefusal = availability.available();
        release.countDown();

        StoreUnavailableException unavailable = assertInstanceOf(StoreUnavailableException.class, refusal);
        assertInstanceOf(java.util.concurrent.TimeoutException.class, unavailable.getCause());
        assertTrue(waitedMillis >= 300 && waitedMillis < 5000, "refused after its wait: " + waitedMillis + " ms");
        assertFalse(availableAfterTheRefusal, "the database's outage begins (one log line), as for any timeout");
        assertEquals("a", first.get(20, TimeUnit.SECONDS).orElseThrow().label());
        assertTrue(availability.available(), "and ends at the next answer");
        assertEquals(List.of("a"), column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
        assertEquals(0, store.batches().openTurns());
    }

    @Test
    void aCreationTakenIntoABatchIsMadeEvenWhenTheBatchOutlastsItsWait() throws Exception {
        store = storeWaiting(Duration.ofSeconds(3));
        Function<Optional<TokenInfo>, Creation> slow = parent -> {
            try {
                Thread.sleep(4000); // past c's wait, with c already in the batch
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return creation("b").apply(parent);
        };
        List<Future<Optional<TokenInfo>>> outcomes = createWhileTheFirstIsHeld(10,
                List.of(creation("a"), slow, creation("c")));

        assertEquals("b", outcomes.get(1).get(20, TimeUnit.SECONDS).orElseThrow().label());
        assertEquals("c", outcomes.get(2).get(20, TimeUnit.SECONDS).orElseThrow().label());
        assertEquals(madeOn.get("b"), madeOn.get("c"), "b and c in one batch");
        assertEquals(List.of("a", "b", "c"), column("SELECT LABEL FROM TA_TOKEN ORDER BY ID"));
    }
}
