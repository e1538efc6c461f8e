package dev.tokenauth.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.tokenauth.RecordedLogs;
import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenFormat;

/** The call to the token service, against a JDK HttpServer on loopback that plays it. */
class IntrospectionClientTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SERVICE_TOKEN = TokenFormat.generate(RANDOM);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> answer = new AtomicReference<>("{\"active\": false}");
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hold;
    private IntrospectionClient client;
    private RecordedLogs logs;

    @BeforeEach
    void startTheService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/tokens/api/introspect", exchange -> {
            Map<String, String> seen = new ConcurrentHashMap<>();
            seen.put("method", exchange.getRequestMethod());
            seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            requests.add(seen);
            if (hold) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = new IntrospectionClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tokens/"),
                SERVICE_TOKEN, TIMEOUT, Clock.systemUTC());
        logs = RecordedLogs.of(Logger.getLogger(IntrospectionClient.class.getName()));
    }

    @AfterEach
    void stop() {
        release.countDown();
        logs.close();
        client.close();
        server.stop(0);
    }

    @Test
    void itPostsTheTokenAsAFormWithItsOwnTokenAndReadsAnActiveAnswer() {
        String presented = TokenFormat.generate(RANDOM);
        answer.set("{\"active\": true, \"scope\": \"read orders\", \"username\": \"clerk\", \"exp\": 1796212800, "
                + "\"iat\": 1764676800, \"token_type\": \"Token\", \"jti\": \"42\"}");

        Optional<ActiveToken> active = client.introspect(presented);

        assertEquals(Optional.of(new ActiveToken(new AuthenticatedToken(42, "clerk", Set.of("read", "orders")),
                Instant.ofEpochSecond(1796212800))), active);
        Map<String, String> request = requests.get(0);
        assertEquals("POST", request.get("method"));
        assertEquals("token=" + presented, request.get("body"));
        assertEquals("Token " + SERVICE_TOKEN, request.get("authorization"));
        assertEquals("application/x-www-form-urlencoded", request.get("content-type"));
    }

    @Test
    void anActiveTokenWithoutAnEndHasNone() {
        answer.set("{\"active\": true, \"scope\": \"read\", \"username\": \"clerk\", \"iat\": 1764676800, "
                + "\"token_type\": \"Token\", \"jti\": \"7\"}");

        assertEquals(null, client.introspect(TokenFormat.generate(RANDOM)).orElseThrow().expiresAt());
    }

    @Test
    void anInactiveAnswerIsEmpty() {
        assertEquals(Optional.empty(), client.introspect(TokenFormat.generate(RANDOM)));
        assertEquals(List.of(), logs.messages());
    }

    @Test
    void everyAnswerButRfc7662sFailsClosed() {
        for (int refused : List.of(401, 403, 429, 500, 503, 302)) {
            status.set(refused);
            assertThrows(StoreUnavailableException.class, () -> client.introspect(TokenFormat.generate(RANDOM)),
                    "status " + refused);
        }
        status.set(200);
        for (String bad : List.of("", "[]", "{\"active\": \"yes\"}", "{\"active\": true}",
                "{\"active\": true, \"username\": \"clerk\", \"scope\": \"read\", \"jti\": \"x\"}",
                "{\"active\": true, \"username\": \"clerk\", \"scope\": \"read\", \"jti\": \"1\", \"exp\": \"soon\"}",
                "{\"active\": false")) {
            answer.set(bad);
            assertThrows(StoreUnavailableException.class, () -> client.introspect(TokenFormat.generate(RANDOM)),
                    bad);
        }
    }

    @Test
    void anAnswerLongerThanAnyIntrospectionAnswerFailsClosed() {
        answer.set("{\"active\": false, \"padding\": \"" + "x".repeat(IntrospectionClient.LARGEST_ANSWER) + "\"}");

        assertThrows(StoreUnavailableException.class, () -> client.introspect(TokenFormat.generate(RANDOM)));
    }

    @Test
    void aServiceThatHoldsItsAnswerFailsClosedWithinTwiceTheTimeout() {
        hold = true;
        long start = System.nanoTime();

        assertThrows(StoreUnavailableException.class, () -> client.introspect(TokenFormat.generate(RANDOM)));

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < 2 * TIMEOUT.toMillis() + 1500, "took " + tookMillis + " ms");
    }

    @Test
    void aServiceThatIsNotThereFailsClosed() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (IntrospectionClient nowhere = new IntrospectionClient(URI.create("http://127.0.0.1:" + closed),
                SERVICE_TOKEN, TIMEOUT, Clock.systemUTC())) {
            assertThrows(StoreUnavailableException.class, () -> nowhere.introspect(TokenFormat.generate(RANDOM)));
        }
    }

    @Test
    void anOutageIsLoggedWhenItStartsAndWhenItEndsNeverNamingAToken() {
        status.set(401);
        String presented = TokenFormat.generate(RANDOM);
        for (int i = 0; i < 20; i++) {
            assertThrows(StoreUnavailableException.class, () -> client.introspect(presented));
        }
        status.set(200);
        client.introspect(presented);
        client.introspect(presented);

        List<LogRecord> records = logs.records();
        assertEquals(2, records.size(), logs.messages().toString());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        int port = server.getAddress().getPort();
        assertEquals("Token service at http://127.0.0.1:" + port + " unavailable (first failure: introspection: "
                + "refused this application's introspection token (401): check the token in tokenauth.remote.token);"
                + " requests that need it are refused with 503 until it answers again", records.get(0).getMessage());
        assertTrue(records.get(1).getMessage().startsWith("Token service at http://127.0.0.1:" + port
                + " available again after "), records.get(1).getMessage());
        assertTrue(records.get(1).getMessage().endsWith(" s; 20 operations failed meanwhile"));
        for (String message : logs.messages()) {
            assertFalse(message.contains(presented) || message.contains(SERVICE_TOKEN)
                    || message.contains(presented.substring(4, 20)), message);
        }
    }

    @Test
    void theEndpointIsTheServicesApiIntrospectWhateverTheBaseEndsIn() {
        assertEquals(URI.create("https://tokens.example/api/introspect"),
                IntrospectionClient.endpoint(URI.create("https://tokens.example")));
        assertEquals(URI.create("https://tokens.example:8443/auth/api/introspect"),
                IntrospectionClient.endpoint(URI.create("https://tokens.example:8443/auth//")));
    }
}
