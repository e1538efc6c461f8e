package dev.tokenauth.remote;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.log.Outage;

/**
 * Asks a tokenauth service about a token: {@code POST <service>/api/introspect} (RFC 7662) with the form {@code
 * token=...}, authenticated by this application's own introspection token. Every call is bounded: the connection by
 * the timeout, the whole answer by twice the timeout, its body by {@value #LARGEST_ANSWER} bytes. A call the service
 * does not answer as RFC 7662 says (a timeout, a refused connection, a 401 for our token, a 5xx) throws {@link
 * StoreUnavailableException}, and the request it was for is refused with 503; the outage is logged when it starts and
 * when it ends ({@link Outage}), never a token.
 */
final class IntrospectionClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IntrospectionClient.class.getName());

    /** An introspection answer is a line of JSON; anything longer is not one. */
    static final int LARGEST_ANSWER = 64 * 1024;

    private final URI endpoint;
    private final String authorization;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Outage outage;

    IntrospectionClient(URI service, String token, Duration timeout, Clock clock) {
        this.endpoint = endpoint(service);
        this.authorization = "Token " + token;
        this.timeout = timeout;
        this.outage = new Outage(LOG, "Token service at " + origin(service), clock);
        this.executor = Executors.newCachedThreadPool(daemonThreads());
        this.http = withThreadsOfNoApplication(() -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build());
    }

    /** {@code <service>/api/introspect}, whether or not the base URL ends in a slash. */
    static URI endpoint(URI service) {
        String base = service.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/api/introspect");
    }

    /** What the log names the service by: its scheme, host and port. */
    static String origin(URI service) {
        return service.getScheme() + "://" + service.getHost() + (service.getPort() < 0 ? "" : ":" + service.getPort());
    }

    /** The token service, for the start-up line. */
    String describe() {
        return "token service " + origin(endpoint) + " (" + endpoint.getRawPath() + "), timeout " + timeout.toSeconds()
                + " s";
    }

    /**
     * What the service says of {@code presented}: the active token, or empty.
     *
     * @throws StoreUnavailableException when the service gives no RFC 7662 answer within the bound
     */
    Optional<ActiveToken> introspect(String presented) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(presented,
                        StandardCharsets.UTF_8)))
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, info -> new BoundedBody(LARGEST_ANSWER));
        HttpResponse<byte[]> response;
        try {
            response = call.get(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw failed("no answer within " + 2 * timeout.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw failed("interrupted", null);
        } catch (ExecutionException e) {
            throw failed(Outage.rootCause(e.getCause()), e.getCause());
        }
        Optional<ActiveToken> answer;
        switch (response.statusCode()) {
            case 200 -> {
                try {
                    answer = IntrospectionAnswer.read(response.body());
                } catch (IntrospectionAnswer.BadAnswer e) {
                    throw failed("answered 200 with no introspection answer (" + e.getMessage() + ")", null);
                }
            }
            case 401 -> throw failed("refused this application's introspection token (401): check the token in "
                    + "tokenauth.remote.token", null);
            case 403 -> throw failed("refused the introspection (403): the token in tokenauth.remote.token needs the "
                    + "scope introspect", null);
            case 429 -> throw failed("throttled this application's address (429)", null);
            default -> throw failed("answered " + response.statusCode(), null);
        }
        outage.answered();
        return answer;
    }

    private StoreUnavailableException failed(String why, Throwable cause) {
        outage.failed("introspection", why);
        return new StoreUnavailableException("introspection at the token service", cause);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        // Java 21's client is AutoCloseable (closes its connections and selector thread); Java 17's ends its
        // selector thread once it is unreachable, which it is after the application's stop.
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.fine(() -> "closing the token service's client: " + Outage.rootCause(e));
            }
        }
    }

    /**
     * Makes the client with no application's class loader as the threads' context: its selector thread, which the
     * JDK starts, must not keep an undeployed application's classes alive (nor make the container warn of a leak).
     */
    private static <T> T withThreadsOfNoApplication(java.util.function.Supplier<T> make) {
        Thread current = Thread.currentThread();
        ClassLoader application = current.getContextClassLoader();
        current.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            return make.get();
        } finally {
            current.setContextClassLoader(application);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, "tokenauth-remote-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
            return thread;
        };
    }

    /** The answer's body in memory, refused past {@code limit} bytes. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > limit) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("answer longer than " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
