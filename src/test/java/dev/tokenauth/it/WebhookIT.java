package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import jakarta.json.JsonObject;

/**
 * The webhook (issue 25): two stock Tomcat nodes on one PostgreSQL database send every event to a JDK HttpServer,
 * which checks each signature as README shows. Each event arrives once though both nodes send; a receiver that fails
 * is retried with growing waits; a receiver that holds its requests never holds up a request of a client; and a
 * node killed with {@code kill -9} between the commit of its events and their delivery loses none of them: they
 * arrive after its restart, the one it was sending twice, told apart by its id. Figures: WEBHOOK lines.
 */
@Tag("nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookIT {

    private static final String DATABASE = "tokenauth_webhook";
    private static final String SECRET = "webhook-secret-of-the-it-0123456789abcdef";
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static WebhookReceiverServer receiver;
    private static TomcatNode a;
    private static TomcatNode b;

    @BeforeAll
    static void startTwoNodesThatSendToOneReceiver() throws SQLException {
        try (Connection admin = SeveralNodesIT.database("postgres"); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE);
            sql.execute("CREATE DATABASE " + DATABASE);
        }
        receiver = new WebhookReceiverServer(SECRET);
        a = node("webhookA", 18720);
        b = node("webhookB", 18730);
        a.start();
        b.start();
        CompletableFuture<?> readyA = CompletableFuture.runAsync(() -> a.awaitReady("hooks/"));
        CompletableFuture<?> readyB = CompletableFuture.runAsync(() -> b.awaitReady("hooks/"));
        readyA.join();
        readyB.join();
    }

    private static TomcatNode node(String name, int httpPort) {
        return new TomcatNode(name, httpPort, TomcatNode.repoFile("src/test/tomcat/conf/server.xml"), null)
                .withoutRoot()
                .property("tokenauth.it.httpPort", Integer.toString(httpPort))
                .property("tokenauth.it.httpsPort", Integer.toString(httpPort + 1))
                .property("tokenauth.it.keystore", System.getProperty("tokenauth.it.keystore"))
                .property("tokenauth.it.keystorePassword", System.getProperty("tokenauth.it.keystorePassword"))
                .property("tokenauth.throttle.token.address", "0")
                .property("tokenauth.token.lastused.interval", "1")
                .property("tokenauth.token.limit", "100")
                .property("tokenauth.webhook.url", receiver.url())
                .property("tokenauth.webhook.secret", SECRET)
                .property("tokenauth.webhook.events", "all")
                .property("tokenauth.webhook.timeout", "2")
                .property("tokenauth.webhook.retry.first", "1")
                .deploy("hooks", "<Context>\n"
                        + "  <Resource name=\"jdbc/tokenauth\" auth=\"Container\" type=\"javax.sql.DataSource\""
                        + " driverClassName=\"org.postgresql.Driver\" url=\"" + SeveralNodesIT.jdbcUrl(DATABASE)
                        + "\" username=\"tokenauth\" password=\"" + System.getProperty("tokenauth.it.postgresqlPassword")
                        + "\" maxTotal=\"8\" maxWaitMillis=\"2000\"/>\n"
                        + "</Context>\n");
    }

    @AfterAll
    static void stopEverything() {
        for (TomcatNode node : new TomcatNode[] {a, b}) {
            if (node != null) {
                node.stop();
            }
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static URL app(TomcatNode node) {
        return node.url("hooks");
    }

    /** The receipts of events of {@code type} about the token whose plaintext is {@code token}. */
    private static Predicate<WebhookReceiverServer.Receipt> about(String type, String token) {
        return r -> r.type().equals(type) && !r.json().isNull("token")
                && token.startsWith(r.json().getJsonObject("token").getString("prefix"));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    @Order(1)
    void aLeakReportReachesTheReceiverOnceSignedAndNamingTheTokenByIdAndPrefixOnly() throws Exception {
        String user = Users.create(app(a), "leaky");
        String token = Api.browser(app(a)).login(user, Users.PASSWORD).createToken(null);

        long committed = System.nanoTime();
        Api.Reply reported = Api.client(app(b)).postJson("api/credentials/revoke",
                "{\"credentials\":[\"" + token + "\"]}");
        assertEquals(202, reported.status());
        WebhookReceiverServer.Receipt receipt = receiver.await(about("token.leaked", token), 1, WITHIN).get(0);

        assertTrue(receipt.signatureValid(), "README's check accepts the signature");
        JsonObject body = receipt.json();
        assertEquals(receipt.deliveryHeader(), body.getString("id"), "the event id in the header and the body");
        assertEquals("token.leaked", receipt.eventHeader());
        assertEquals(Set.of("id", "type", "time", "user", "acting_user", "token", "address", "detail"), body.keySet());
        assertEquals(user, body.getString("user"));
        assertEquals("127.0.0.1", body.getString("address"));
        String prefix = body.getJsonObject("token").getString("prefix");
        assertTrue(token.startsWith(prefix) && prefix.length() < token.length() / 2, prefix);
        for (String secret : List.of(token, token.substring(prefix.length()), SECRET)) {
            assertFalse(receipt.body().contains(secret), "no secret in the payload");
            assertFalse(receipt.headers().values().stream().anyMatch(v -> v.contains(secret)),
                    "no secret in a header");
        }
        assertEquals("application/json", receipt.headers().get("content-type"));
        System.out.println("WEBHOOK: a leak report's event reached the receiver "
                + Duration.ofNanos(receipt.receivedNanos() - committed).toMillis() + " ms after the report was sent"
                + " (its commit is within that request)");
        TomcatNode.sleep(2500);
        assertEquals(1, receiver.receipts().stream().filter(about("token.leaked", token)).count(),
                "delivered once, by one of the two nodes");

        assertEquals(200, Users.admin(app(a)).postJson("api/users/disable", "{\"username\":\"" + user + "\"}")
                .status());
        JsonObject disabled = receiver.await(r -> r.type().equals("user.disabled")
                && user.equals(r.json().getString("user")), 1, WITHIN).get(0).json();
        assertEquals(Deployments.ADMIN, disabled.getString("acting_user"));
        assertTrue(disabled.isNull("token"));
    }

    @Test
    @Order(2)
    void eachOfManyEventsMadeOnBothNodesIsDeliveredExactlyOnceAndAComingExpiryIsToldOnce() throws Exception {
        String user = Users.create(app(a), "busy");
        Api onA = Api.browser(app(a)).login(user, Users.PASSWORD);
        Api onB = Api.browser(app(b)).login(user, Users.PASSWORD);
        List<String> tokens = new ArrayList<>();
        Map<String, Long> madeAt = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            String token = (i % 2 == 0 ? onA : onB).createToken(null);
            madeAt.put(token, System.nanoTime());
            tokens.add(token);
        }
        Api.Reply expiring = onA.postJson("api/create_token", "{\"expires_in\": 259200}");
        assertEquals(200, expiring.status(), expiring.body());
        String soon = expiring.json().getString("token");

        List<Long> latencies = new ArrayList<>();
        for (String token : tokens) {
            WebhookReceiverServer.Receipt r = receiver.await(about("token.created", token), 1, WITHIN).get(0);
            assertTrue(r.signatureValid());
            latencies.add(Duration.ofNanos(r.receivedNanos() - madeAt.get(token)).toMillis());
        }
        receiver.await(about("token.expiring", soon), 1, WITHIN);
        TomcatNode.sleep(3000); // three rounds of both senders, and of both nodes' expiry checks
        for (String token : tokens) {
            assertEquals(1, receiver.receipts().stream().filter(about("token.created", token)).count(), token);
        }
        List<WebhookReceiverServer.Receipt> warned = receiver.receipts().stream()
                .filter(about("token.expiring", soon)).toList();
        assertEquals(1, warned.size(), "told once though both nodes check");
        assertTrue(warned.get(0).json().containsKey("expires_at"));
        System.out.println("WEBHOOK: 40 token creations on two nodes, each delivered once; commit to receipt median "
                + median(latencies) + " ms, max " + Collections.max(latencies) + " ms (poll every 1 s)");
    }

    @Test
    @Order(3)
    void aReceiverThatFailsIsRetriedWithGrowingWaitsThenTheEventIsDelivered() throws Exception {
        String user = Users.create(app(a), "retried");
        Api browser = Api.browser(app(b)).login(user, Users.PASSWORD);
        receiver.failNext(2);
        String token = browser.createToken(null);

        List<WebhookReceiverServer.Receipt> attempts = receiver.await(about("token.created", token), 3, WITHIN);
        assertEquals(1, attempts.stream().map(WebhookReceiverServer.Receipt::id).distinct().count(),
                "three attempts of one event");
        long firstWait = Duration.ofNanos(attempts.get(1).receivedNanos() - attempts.get(0).receivedNanos()).toMillis();
        long secondWait = Duration.ofNanos(attempts.get(2).receivedNanos() - attempts.get(1).receivedNanos()).toMillis();
        assertTrue(firstWait >= 1000, "the first retry waits at least tokenauth.webhook.retry.first: " + firstWait);
        assertTrue(secondWait >= 2000, "the second twice as long: " + secondWait);
        try (Connection db = SeveralNodesIT.database(DATABASE); Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("SELECT STATE, ATTEMPTS, LAST_ERROR FROM TA_WEBHOOK_EVENT"
                        + " WHERE EVENT_ID = '" + attempts.get(0).id() + "'")) {
            assertTrue(row.next());
            assertEquals(List.of("DELIVERED", 3), List.of(row.getString(1), row.getInt(2)));
            assertEquals(null, row.getString(3), "a delivery clears the last error");
        }
        long failed = 0;
        long sent = 0;
        long givenUp = 0;
        for (TomcatNode node : List.of(a, b)) {
            String scrape = Users.admin(app(node)).get("metrics").body();
            failed += (long) MetricsIT.value(scrape, "tokenauth_webhook_attempts_failed_total");
            sent += (long) MetricsIT.value(scrape, "tokenauth_webhook_events_sent_total");
            givenUp += (long) MetricsIT.value(scrape, "tokenauth_webhook_events_failed_total");
            assertTrue(MetricsIT.value(scrape, "tokenauth_webhook_events_pending") >= 0, scrape);
        }
        assertEquals(2, failed, "the failed attempts, counted by the nodes that made them");
        assertEquals(0, givenUp);
        assertTrue(sent >= 44, "every event so far was sent once, by one node or the other: " + sent);
        System.out.println("WEBHOOK: a receiver answering 500 twice: retried after " + firstWait + " ms, then "
                + secondWait + " ms, then delivered (attempts 3)");
    }

    @Test
    @Order(4)
    void aReceiverThatHoldsItsRequestsNeverHoldsUpAClientsRequest() throws Exception {
        String user = Users.create(app(a), "patient");
        Api browser = Api.browser(app(a)).login(user, Users.PASSWORD);
        List<String> tokens = new ArrayList<>();
        receiver.hold();
        try {
            tokens.add(browser.createToken(null));
            receiver.await(about("token.created", tokens.get(0)), 1, WITHIN);
            for (int i = 0; i < 10; i++) {
                tokens.add(browser.createToken(null));
            }
            assertTrue(receiver.holding(), "every request above was answered while the receiver held a delivery");
        } finally {
            receiver.release();
        }
        // Their events wait in the outbox, retried with growing waits: each arrives once the receiver answers.
        for (String token : tokens) {
            receiver.await(about("token.created", token), 1, Duration.ofSeconds(60));
        }
    }

    @Test
    @Order(5)
    void aNodeKilledBetweenTheCommitOfItsEventsAndTheirDeliveryLosesNoneOfThem() throws Exception {
        // Events made from here on are sent by b alone: a stops first (gracefully).
        a.stop();
        String user = Users.create(app(b), "crash");
        Api browser = Api.browser(app(b)).login(user, Users.PASSWORD);
        receiver.hold();
        List<String> tokens = new ArrayList<>();
        try {
            tokens.add(browser.createToken(null));
            receiver.await(about("token.created", tokens.get(0)), 1, WITHIN); // b is sending it, and waits
            for (int i = 0; i < 4; i++) {
                tokens.add(browser.createToken(null)); // committed; b's sender is busy
            }
            b.kill();
        } finally {
            receiver.release();
        }
        long killed = System.nanoTime();
        b.start().awaitReady("hooks/");

        List<String> ids = new ArrayList<>();
        for (String token : tokens) {
            ids.add(receiver.await(about("token.created", token), token.equals(tokens.get(0)) ? 2 : 1, WITHIN)
                    .get(0).id());
        }
        long allIn = System.nanoTime();
        Map<String, Long> seen = receiver.receipts().stream().filter(r -> ids.contains(r.id()))
                .collect(Collectors.groupingBy(WebhookReceiverServer.Receipt::id, Collectors.counting()));
        assertEquals(5, seen.size(), "every event committed before the kill arrived");
        assertEquals(2, seen.get(ids.get(0)), "the one in flight at the kill came again, with the same id");
        System.out.println("WEBHOOK: kill -9 with 1 event in flight and 4 committed but unsent: all 5 delivered "
                + Duration.ofNanos(allIn - killed).toMillis() + " ms after the kill (restart included), the one in"
                + " flight twice with one id (exactly once after de-duplication)");
        a.start().awaitReady("hooks/");
    }

    @Test
    @Order(6)
    void neitherNodesLogShowsTheSecretOrTheWebhooksPath() {
        for (TomcatNode node : List.of(a, b)) {
            String log = node.logText();
            assertFalse(log.contains(SECRET), node.name() + " logged the webhook's secret");
            assertFalse(log.contains(WebhookReceiverServer.PATH), node.name() + " logged the webhook's path");
            assertTrue(log.contains("webhook to http://127.0.0.1:"), "the start-up line names the receiver's host");
        }
    }
}
