package dev.tokenauth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A webhook receiver, as an operator's would be: a JDK {@link HttpServer} on loopback that checks each delivery's
 * signature with the few lines README shows, keeps every request it got (duplicates too) and de-duplicates by event
 * id. It answers 204, or 500 to the next {@link #failNext} requests, or holds requests unanswered while
 * {@link #hold} is on.
 */
final class WebhookReceiverServer implements AutoCloseable {

    /** One request as received. */
    record Receipt(String deliveryHeader, String eventHeader, String body, boolean signatureValid, long receivedNanos,
            Map<String, String> headers) {
        JsonObject json() {
            return Json.createReader(new java.io.StringReader(body)).readObject();
        }

        String id() {
            return json().getString("id");
        }

        String type() {
            return json().getString("type");
        }

        /** The token id of the payload, or -1 for an event without a token. */
        long tokenId() {
            return json().isNull("token") ? -1 : json().getJsonObject("token").getJsonNumber("id").longValue();
        }
    }

    static final String PATH = "/hooks/T0001/B0002/a-path-that-is-a-credential";

    private final String secret;
    private final HttpServer server;
    private final List<Receipt> receipts = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile CountDownLatch hold;

    WebhookReceiverServer(String secret) {
        this.secret = secret;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(PATH, this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** README's check: the HMAC-SHA256 of the exact body under the shared secret, compared in constant time. */
    static boolean signatureMatches(String secret, byte[] body, String header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        return header != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                String.join(",", v)));
        boolean valid;
        try {
            valid = signatureMatches(secret, body, exchange.getRequestHeaders().getFirst("X-Tokenauth-Signature"));
        } catch (Exception e) {
            valid = false;
        }
        synchronized (receipts) {
            receipts.add(new Receipt(headers.get("x-tokenauth-delivery"), headers.get("x-tokenauth-event"),
                    new String(body, StandardCharsets.UTF_8), valid, at, headers));
            receipts.notifyAll();
        }
        CountDownLatch held = hold;
        if (held != null) {
            try {
                held.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
        try {
            exchange.sendResponseHeaders(status, -1);
        } finally {
            exchange.close();
        }
    }

    /** The next {@code n} requests are answered 500. */
    void failNext(int n) {
        failNext.set(n);
    }

    /** From now on, requests wait unanswered until {@link #release}. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch held = hold;
        hold = null;
        if (held != null) {
            held.countDown();
        }
    }

    /** Whether requests are being held (the latch is still closed). */
    boolean holding() {
        CountDownLatch held = hold;
        return held != null && held.getCount() > 0;
    }

    /** Every request received so far, duplicates included. */
    List<Receipt> receipts() {
        synchronized (receipts) {
            return List.copyOf(receipts);
        }
    }

    /** The requests that match, once {@code count} of them have come, or fails after {@code within}. */
    List<Receipt> await(Predicate<Receipt> which, int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (receipts) {
            while (true) {
                List<Receipt> found = receipts.stream().filter(which).toList();
                if (found.size() >= count) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the receiver got " + found.size() + " of " + count
                            + " expected deliveries within " + within + "; all: " + receipts);
                }
                try {
                    receipts.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
