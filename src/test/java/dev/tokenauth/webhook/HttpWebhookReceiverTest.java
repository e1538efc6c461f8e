package dev.tokenauth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The POST itself, against a JDK HttpServer on loopback. */
class HttpWebhookReceiverTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Outbox.Event EVENT = new Outbox.Event(1, "7d1e6f5a-1b2c-4d3e-8f90-a1b2c3d4e5f6",
            WebhookEventType.TOKEN_LEAKED, "{\"id\":\"7d1e6f5a-1b2c-4d3e-8f90-a1b2c3d4e5f6\",\"user\":\"\u00e9\"}",
            Instant.EPOCH, 0);

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(204);
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hold;

    @BeforeEach
    void startTheReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/hooks/T0/secret-path", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> seen = new ConcurrentHashMap<>();
            seen.put("method", exchange.getRequestMethod());
            seen.put("body", new String(body, StandardCharsets.UTF_8));
            exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            requests.add(seen);
            if (hold) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopTheReceiver() {
        release.countDown();
        server.stop(0);
    }

    private HttpWebhookReceiver receiver(Duration timeout) {
        return new HttpWebhookReceiver(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/hooks/T0/secret-path"), new WebhookSignature(SECRET), timeout);
    }

    @Test
    void aDeliveryIsAPostOfTheStoredBytesSignedAndNamedByItsEventId() {
        assertEquals(WebhookReceiver.Attempt.ok(), receiver(Duration.ofSeconds(5)).post(EVENT));

        Map<String, String> seen = requests.get(0);
        assertEquals("POST", seen.get("method"));
        assertEquals(EVENT.payload(), seen.get("body"));
        assertEquals("application/json", seen.get("content-type"));
        assertEquals("token.leaked", seen.get("x-tokenauth-event"));
        assertEquals(EVENT.eventId(), seen.get("x-tokenauth-delivery"));
        assertTrue(new WebhookSignature(SECRET).matches(EVENT.payload().getBytes(StandardCharsets.UTF_8),
                seen.get("x-tokenauth-signature")), seen.get("x-tokenauth-signature"));
        assertTrue(seen.values().stream().noneMatch(v -> v.contains(SECRET)), "the secret itself is never sent");
    }

    @Test
    void anyAnswerButA2xxIsAFailedAttempt() {
        status.set(500);
        assertEquals(WebhookReceiver.Attempt.failed("HTTP 500"), receiver(Duration.ofSeconds(5)).post(EVENT));
        status.set(302);
        assertEquals(WebhookReceiver.Attempt.failed("HTTP 302"), receiver(Duration.ofSeconds(5)).post(EVENT),
                "a redirect is not followed");
        assertEquals(2, requests.size());
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsAFailedAttemptWithinTheTimeout() {
        hold = true;
        WebhookReceiver.Attempt attempt = receiver(Duration.ofMillis(300)).post(EVENT);
        assertEquals(WebhookReceiver.Attempt.failed("no answer within 300 ms"), attempt);
    }

    @Test
    void aClosedPortIsARefusedConnectionAndTheLogNamesNoPath() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HttpWebhookReceiver closed = new HttpWebhookReceiver(URI.create("http://127.0.0.1:" + port
                + "/hooks/T0/secret-path"), new WebhookSignature(SECRET), Duration.ofSeconds(2));
        assertEquals(WebhookReceiver.Attempt.failed("connection refused"), closed.post(EVENT));
        assertEquals("http://127.0.0.1:" + port, closed.describe());
        assertEquals("HttpWebhookReceiver[http://127.0.0.1:" + port + "]", closed.toString());
    }
}
