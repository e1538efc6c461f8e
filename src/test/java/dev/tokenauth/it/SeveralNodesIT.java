package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two stock Tomcat 10.1 nodes on one PostgreSQL database, configured with exactly the files an operator copies
 * ({@code webapp-config/tomcat-cluster/}): started at the same instant on an empty database, they make one schema
 * and one admin without a warning; a token made on one works on the other; a revocation, a rotation's end or a
 * disabling on one is refused on the other within milliseconds, though its cache would keep the answer for a
 * minute; the change channel comes back by itself after its connection is killed; a browser session from one is
 * served by the other; each expiry is noted once; and a graceful stop logs nothing SEVERE.
 * <p>
 * The staleness figures measured are printed (NODES lines in the build's output).
 */
@Tag("nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralNodesIT {

    /** The nodes' cache age: far beyond any bound asserted here, so that only the change channel explains one. */
    private static final int CACHE_TTL_SECONDS = 60;
    private static final String DATABASE = "tokenauth_nodes";

    private static TomcatNode a;
    private static TomcatNode b;
    private static int startupLinesA;
    private static int startupLinesB;

    static String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + System.getProperty("tokenauth.it.postgresqlPort") + "/" + database;
    }

    static Connection database(String name) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(name), "tokenauth",
                System.getProperty("tokenauth.it.postgresqlPassword"));
    }

    /** A node of the cluster example, on {@link #DATABASE}. */
    private static TomcatNode clusterNode(String name, int httpPort, int clusterPort) {
        return new TomcatNode(name, httpPort, TomcatNode.repoFile("webapp-config/tomcat-cluster/server.xml"),
                TomcatNode.repoFile("webapp-config/tomcat-cluster/ROOT.xml"))
                .property("cluster.route", name)
                .property("cluster.http.port", Integer.toString(httpPort))
                .property("cluster.receiver.address", "127.0.0.1")
                .property("cluster.receiver.port", Integer.toString(clusterPort))
                .property("cluster.member1.host", "127.0.0.1")
                .property("cluster.member1.port", "18685")
                .property("cluster.member2.host", "127.0.0.1")
                .property("cluster.member2.port", "18695")
                .property("cluster.db.url", jdbcUrl(DATABASE))
                .property("cluster.db.user", "tokenauth")
                .property("cluster.db.password", System.getProperty("tokenauth.it.postgresqlPassword"))
                .property("tokenauth.token.cache.ttl", Integer.toString(CACHE_TTL_SECONDS))
                .property("tokenauth.token.lastused.interval", "1")
                // The failed-token throttle at its default (30 per address in 3 minutes), counted by both nodes together;
                // every other test here refuses only tokens the nodes know as good, which a lockout never stops.
                .property("tokenauth.throttle.token.address", "30")
                .property("tokenauth.throttle.login.address", "0");
    }

    @BeforeAll
    static void startTwoNodesAtOnceOnAnEmptyDatabase() {
        a = clusterNode("nodeA", 18680, 18685);
        b = clusterNode("nodeB", 18690, 18695);
        a.start();
        b.start();
        CompletableFuture<?> readyA = CompletableFuture.runAsync(a::awaitReady);
        CompletableFuture<?> readyB = CompletableFuture.runAsync(b::awaitReady);
        readyA.join();
        readyB.join();
        startupLinesA = a.logLineCount();
        startupLinesB = b.logLineCount();
    }

    @AfterAll
    static void stopBothGracefully() {
        if (a == null || b == null) {
            return;
        }
        int beforeA = a.logLineCount();
        int beforeB = b.logLineCount();
        a.stop();
        b.stop();
        List<String> severe = new ArrayList<>(a.logLines(beforeA, l -> l.contains("SEVERE")));
        severe.addAll(b.logLines(beforeB, l -> l.contains("SEVERE")));
        assertEquals(List.of(), severe, "a graceful stop logs nothing SEVERE");
    }

    private static boolean isWarningOrWorse(String line) {
        return (line.contains("WARNING") || line.contains("SEVERE") || line.startsWith("\tat ")
                || line.contains("Exception"))
                // Tomcat's cluster at two simultaneous starts: each node looks for the other before the other
                // listens, or asks it for its sessions before it has deployed the application ("Received 0
                // replies", "No matching context manager"). Harmless (a node that has not started has no sessions),
                // Tomcat's own, and without a stack trace; not a race of the application's.
                && !line.contains(" org.apache.catalina.ha.") && !line.contains(" org.apache.catalina.tribes.");
    }

    @Test
    @Order(1)
    void twoNodesStartedAtOnceOnAnEmptyDatabaseMakeOneSchemaAndOneAdminWithoutAWarning() throws Exception {
        List<String> warnings = new ArrayList<>(a.logLines(0, SeveralNodesIT::isWarningOrWorse));
        warnings.addAll(b.logLines(0, SeveralNodesIT::isWarningOrWorse));
        assertEquals(List.of(), warnings.subList(0, Math.min(warnings.size(), 20)), "no warning, no stack trace");
        assertTrue(startupLinesA > 0 && startupLinesB > 0);
        try (Connection db = database(DATABASE);
                ResultSet rs = db.createStatement().executeQuery("SELECT COUNT(*) FROM TA_USER WHERE USERNAME = 'admin'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "one admin, created by one node");
        }
        assertEquals(200, Users.admin(a.url()).get("api/whoami").status());
        assertEquals(200, Users.admin(b.url()).get("api/whoami").status());
        List<String> versions = new ArrayList<>();
        try (Connection db = database(DATABASE); ResultSet rs = db.createStatement().executeQuery(
                "SELECT version FROM tokenauth_schema_history WHERE success ORDER BY installed_rank")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        assertEquals(List.of("1", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12", "13"), versions, "each migration applied once");
        List<String> applied = new ArrayList<>(a.logLines(0, l -> l.contains("Schema migration ")));
        applied.addAll(b.logLines(0, l -> l.contains("Schema migration ")));
        assertEquals(12, applied.size(), "one line per migration, by the node that applied it: " + applied);
    }

    @Test
    void aTokenMadeOnOneNodeWorksOnTheOtherAtOnce() {
        String alice = Users.create(a.url(), "alice");
        String token = Api.browser(a.url()).login(alice, Users.PASSWORD).createToken(null);

        assertJson(Api.client(b.url()).get("api/whoami", Api.auth(token)), 200,
                "{\"user\": \"" + alice + "\", \"success\": true}");
    }

    /** How long after {@code change} returned {@code token} is first refused on {@code node}, in ms. */
    private static long refusedAfter(TomcatNode node, String token, Runnable change) {
        assertEquals(200, Api.client(node.url()).get("api/whoami", Api.auth(token)).status(), "cached on " + node);
        change.run();
        long changed = System.nanoTime();
        Api.Reply reply;
        do {
            reply = Api.client(node.url()).get("api/whoami", Api.auth(token));
        } while (reply.status() == 200 && System.nanoTime() - changed < 30_000_000_000L);
        long millis = (System.nanoTime() - changed) / 1_000_000;
        assertFailure(reply, 401, "Invalid token.");
        return millis;
    }

    private static String stats(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return "median " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms, all "
                + millis;
    }

    /** The bound asserted: a tenth of the cache's age, so that no cache expiry can pass for the channel. */
    private static void assertWithinTheChannelsBound(List<Long> millis) {
        for (long m : millis) {
            assertTrue(m < CACHE_TTL_SECONDS * 100L, "refused " + m + " ms after the change: " + stats(millis));
        }
    }

    @Test
    void aRevocationOnOneNodeIsRefusedOnTheOtherWithinMillisecondsThoughItsCacheHeldTheToken() {
        String alice = Users.create(a.url(), "alice");
        Api session = Api.browser(a.url()).login(alice, Users.PASSWORD);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String token = session.createToken(null);
            millis.add(refusedAfter(b, token, () -> assertEquals(200, Api.client(a.url())
                    .postJson("api/revoke_token", "{\"token\":\"" + token + "\"}", Api.auth(token)).status())));
        }
        System.out.println("NODES: a revocation on node A refused on node B (cache age " + CACHE_TTL_SECONDS
                + " s) after: " + stats(millis));
        assertWithinTheChannelsBound(millis);
    }

    @Test
    void theEndARotationGivesTheOldTokenCountsOnTheOtherNodeAtOnce() {
        String alice = Users.create(a.url(), "alice");
        String token = Api.browser(a.url()).login(alice, Users.PASSWORD).createToken(null);

        long millis = refusedAfter(b, token, () -> assertEquals(200, Api.client(a.url())
                .postJson("api/rotate_token", "{\"grace_seconds\":0}", Api.auth(token)).status()));

        System.out.println("NODES: a rotation's end on node A refused on node B after " + millis + " ms");
        assertWithinTheChannelsBound(List.of(millis));
    }

    @Test
    void disablingAUserOnOneNodeEndsTheirTokensOnTheOtherAtOnce() {
        String bob = Users.create(a.url(), "bob");
        String token = Api.browser(a.url()).login(bob, Users.PASSWORD).createToken(null);

        long millis = refusedAfter(b, token, () -> assertEquals(200, Users.admin(a.url())
                .postJson("api/users/disable", "{\"username\":\"" + bob + "\"}").status()));

        System.out.println("NODES: a disabling on node A refused on node B after " + millis + " ms");
        assertWithinTheChannelsBound(List.of(millis));
    }

    private static int listeners() throws SQLException {
        try (Connection db = database(DATABASE);
                PreparedStatement query = db.prepareStatement(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'tokenauth token changes'")) {
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void theChangeChannelListensAgainByItselfAfterItsConnectionsAreKilled() throws Exception {
        assertEquals(2, listeners(), "one listening connection per node");
        int linesB = b.logLineCount();
        try (Connection db = database(DATABASE)) {
            db.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'tokenauth token changes'");
        }
        long killed = System.nanoTime();
        while (listeners() < 2 && System.nanoTime() - killed < 30_000_000_000L) {
            Thread.sleep(50);
        }
        long reconnectMillis = (System.nanoTime() - killed) / 1_000_000;
        assertEquals(2, listeners(), "both nodes listen again");

        String alice = Users.create(a.url(), "alice");
        String token = Api.browser(a.url()).login(alice, Users.PASSWORD).createToken(null);
        long millis = refusedAfter(b, token, () -> assertEquals(200, Api.client(a.url())
                .postJson("api/revoke_token", "{\"token\":\"" + token + "\"}", Api.auth(token)).status()));
        System.out.println("NODES: the change channel listened again " + reconnectMillis
                + " ms after its connections were killed; a revocation then refused on node B after " + millis + " ms");
        assertWithinTheChannelsBound(List.of(millis));
        TomcatNode.sleep(1000);
        assertEquals(1, b.logLines(linesB, l -> l.contains("Token change channel down")).size(), "said once");
        assertEquals(1, b.logLines(linesB, l -> l.contains("Token change channel listening again")).size(),
                "and once when it is back");
    }

    @Test
    void aBrowserLoggedInOnOneNodeIsLoggedInOnTheOtherAndLogsOutOfBoth() {
        String carol = Users.create(a.url(), "carol");
        Api browser = Api.browser(a.url()).login(carol, Users.PASSWORD);
        // The same browser (its cookie jar) at the other node's address, as a balancer would send it there.
        Api sameBrowserOnB = Api.browser(b.url(), browser.cookies());

        assertJson(sameBrowserOnB.get("api/whoami"), 200, "{\"user\": \"" + carol + "\", \"success\": true}");

        assertEquals(303, sameBrowserOnB.post("logout", null).status());
        assertFailure(browser.get("api/whoami"), 401, "Not logged in.");
    }

    @Test
    void eachExpiryIsNotedOnceThoughBothNodesLookForThem() throws Exception {
        String dave = Users.create(a.url(), "dave");
        Api onA = Api.browser(a.url()).login(dave, Users.PASSWORD);
        Api onB = Api.browser(b.url()).login(dave, Users.PASSWORD);
        for (int i = 0; i < 8; i++) {
            Api node = i % 2 == 0 ? onA : onB;
            assertEquals(200, node.postJson("api/create_token", "{\"expires_in\":1}").status());
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        int noted;
        do {
            Thread.sleep(500);
            noted = expiredEvents(dave, "COUNT(*)");
        } while (noted < 8 && System.nanoTime() < deadline);
        Thread.sleep(3000); // several more runs of both nodes' expiry checks
        assertEquals(8, expiredEvents(dave, "COUNT(*)"), "one TOKEN_EXPIRED per token");
        assertEquals(8, expiredEvents(dave, "COUNT(DISTINCT TOKEN_ID)"));
    }

    private static int expiredEvents(String user, String what) throws SQLException {
        try (Connection db = database(DATABASE);
                PreparedStatement query = db.prepareStatement(
                        "SELECT " + what + " FROM TA_AUDIT WHERE EVENT = 'TOKEN_EXPIRED' AND USERNAME = ?")) {
            query.setString(1, user);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void thirtyFailedTokensSpreadOverBothNodesLockTheAddressOutOnBothAndTheTableNamesNoAddress() throws Exception {
        String from = "127.0.0.2"; // an address of this test's own: the others connect from 127.0.0.1
        String user = Users.create(a.url(), "guessed");
        String good = Api.browser(a.url()).login(user, Users.PASSWORD).createToken(null);
        for (TomcatNode node : List.of(a, b)) {
            assertEquals(200, RawHttp.status(whoami(node, from, good)), "known as good on " + node);
        }

        for (int i = 0; i < 30; i++) {
            TomcatNode node = i % 2 == 0 ? a : b;
            String answer = whoami(node, from, dev.tokenauth.token.TokenFormat.generate(new java.security.SecureRandom()));
            assertEquals(401, RawHttp.status(answer), "failure " + (i + 1) + " on " + node + ": " + answer);
        }

        for (TomcatNode node : List.of(a, b)) {
            String answer = whoami(node, from, dev.tokenauth.token.TokenFormat.generate(new java.security.SecureRandom()));
            assertEquals(429, RawHttp.status(answer), "the 31st on " + node + ", which counted only 15 itself: " + answer);
            assertTrue(answer.contains("\r\nRetry-After: "), answer);
            assertEquals(200, RawHttp.status(whoami(node, from, good)), "a token known as good still passes on " + node);
        }
        assertEquals(401, RawHttp.status(whoami(b, null, dev.tokenauth.token.TokenFormat.generate(
                new java.security.SecureRandom()))), "another address keeps its allowance");

        List<String> ids = new ArrayList<>();
        try (Connection db = database(DATABASE); java.sql.Statement sql = db.createStatement();
                java.sql.ResultSet rows = sql.executeQuery("SELECT ID FROM TA_THROTTLE_BUCKET")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        assertFalse(ids.isEmpty(), "the shared buckets are in the database");
        for (String id : ids) {
            assertTrue(id.matches("[0-9a-f]{64}"), "a digest, never an address or a name: " + id);
        }
    }

    @Test
    void aThrottleTableThatCannotAnswerNeverHoldsUpAGoodTokenAndLeavesEachNodesOwnCountInCharge() throws Exception {
        String from = "127.0.0.3";
        String good = Api.browser(a.url()).login(Users.create(a.url(), "unhindered"), Users.PASSWORD).createToken(null);
        int linesBefore = a.logLineCount();
        try (Connection lock = database(DATABASE)) {
            lock.setAutoCommit(false);
            try (java.sql.Statement sql = lock.createStatement()) {
                sql.execute("LOCK TABLE TA_THROTTLE_BUCKET IN ACCESS EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            for (TomcatNode node : List.of(a, b)) {
                assertEquals(200, RawHttp.status(whoami(node, from, good)), "a good token on " + node);
            }
            long goodMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(goodMillis < 1000, "a good token never waits on the throttle table: " + goodMillis + " ms");

            start = System.nanoTime();
            String answer = whoami(a, from, dev.tokenauth.token.TokenFormat.generate(new java.security.SecureRandom()));
            long badMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(401, RawHttp.status(answer), answer);
            assertTrue(badMillis < 2000 + 1500, "a failure waits at most the database timeout (2 s): " + badMillis + " ms");
            System.out.println("NODES: throttle table locked: good tokens on both nodes in " + goodMillis
                    + " ms, a failure answered 401 in " + badMillis + " ms (its own node's count)");
            lock.rollback();
        }
        assertEquals(401, RawHttp.status(whoami(a, from, dev.tokenauth.token.TokenFormat.generate(
                new java.security.SecureRandom()))));
        List<String> outage = a.logLines(linesBefore, l -> l.contains("Shared throttle table TA_THROTTLE_BUCKET"));
        assertEquals(2, outage.size(), "once when it starts, once when it ends: " + outage);
        assertTrue(outage.get(0).contains("unavailable (first failure: a failure's count: "), outage.get(0));
        assertTrue(outage.get(1).contains("available again after "), outage.get(1));
    }

    private static String whoami(TomcatNode node, String from, String token) {
        return RawHttp.sendFrom(from, node.url(), "GET", "api/whoami", new byte[0],
                RawHttp.header("Authorization: Token " + token));
    }
}
