package dev.tokenauth.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.throttle.Lockout;
import dev.tokenauth.token.RefusalReason;
import dev.tokenauth.token.TokenStore;
import dev.tokenauth.token.ValidationCache;
import dev.tokenauth.webhook.WebhookSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The application's meters, in a Micrometer {@link PrometheusMeterRegistry}, and their Prometheus text. Every meter
 * a request touches is registered here once, up front: counting a request is an array index and an atomic add, never
 * a lookup by tags or a new meter. Tags are bounded enumerations only: never a user, an address, a token or anything
 * a client chose.
 * <p>
 * {@link #off()} keeps no registry: its meters are Micrometer's no-ops and there is nothing to scrape.
 * <p>
 * Meters (Prometheus names; see README, "Metrics"):
 * <ul>
 * <li>{@code tokenauth_authentications_total{outcome}}: each request {@code TokenAuthFilter} decided on, by
 * {@link Outcomes.Authentication}.</li>
 * <li>{@code tokenauth_token_refusals_total{reason}}: refused tokens, by {@link RefusalReason}.</li>
 * <li>{@code tokenauth_throttled_requests_total{throttle}}: 429 answers, {@code token} or {@code login}.</li>
 * <li>{@code tokenauth_throttle_lockouts_total{throttle}}: allowances used up, one per lockout, by {@link Lockout}
 * ({@code token_address}, {@code login_account}, {@code login_address}, {@code login_device}).</li>
 * <li>{@code tokenauth_token_cache_gets_total{result}}, {@code tokenauth_token_cache_evictions_total},
 * {@code tokenauth_token_cache_size}: the validation cache, from Caffeine's statistics.</li>
 * <li>{@code tokenauth_token_lookup_seconds{result}}: the database lookup of a token, a histogram.</li>
 * <li>{@code tokenauth_database_up}: 1 while the database answers, 0 from a failure until it answers again.</li>
 * <li>{@code tokenauth_webhook_events_pending}, {@code tokenauth_webhook_events_sent_total},
 * {@code tokenauth_webhook_events_failed_total}, {@code tokenauth_webhook_attempts_failed_total}: the webhook's
 * outbox and this node's sender, while a webhook is set.</li>
 * <li>The JVM's: {@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code jvm_classes_*},
 * {@code process_cpu_usage}, {@code process_uptime_seconds}, {@code system_cpu_*}.</li>
 * </ul>
 */
public final class Metrics implements Outcomes, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Metrics.class.getName());


    /**
     * The Content-Type of {@link #scrape}: the Prometheus text format 0.0.4, as the registry's text writer declares
     * it ({@code PrometheusTextFormatWriter.CONTENT_TYPE}; a test checks that they agree).
     */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry prometheus;
    private final MeterRegistry registry;
    private final Counter[] authentications;
    private final Counter[] refusals;
    private final Counter tokenThrottled;
    private final Counter loginThrottled;
    private final Counter[] lockouts;
    private final Timer lookupFound;
    private final Timer lookupNotFound;
    private final Timer lookupFailed;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Metrics(PrometheusMeterRegistry prometheus, MeterRegistry registry) {
        this.prometheus = prometheus;
        this.registry = registry;
        Outcomes.Authentication[] outcomes = Outcomes.Authentication.values();
        authentications = new Counter[outcomes.length];
        for (Outcomes.Authentication o : outcomes) {
            authentications[o.ordinal()] = Counter.builder("tokenauth.authentications")
                    .description("Requests TokenAuthFilter decided on, by outcome").tag("outcome", o.tag())
                    .register(registry);
        }
        RefusalReason[] reasons = RefusalReason.values();
        refusals = new Counter[reasons.length];
        for (RefusalReason r : reasons) {
            refusals[r.ordinal()] = Counter.builder("tokenauth.token.refusals")
                    .description("Refused token authentications, by reason").tag("reason", r.tag()).register(registry);
        }
        Lockout[] kinds = Lockout.values();
        lockouts = new Counter[kinds.length];
        for (Lockout l : kinds) {
            lockouts[l.ordinal()] = Counter.builder("tokenauth.throttle.lockouts")
                    .description("Allowances of failed attempts used up (one per lockout), by throttle")
                    .tag("throttle", l.tag()).register(registry);
        }
        tokenThrottled = throttled("token");
        loginThrottled = throttled("login");
        lookupFound = lookup("found");
        lookupNotFound = lookup("not_found");
        lookupFailed = lookup("failed");
    }

    /** Meters kept in a Prometheus registry, with the JVM's own. */
    public static Metrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics metrics = new Metrics(registry, registry);
        metrics.bindJvm();
        return metrics;
    }

    /** No meters: every count is a no-op, and {@link #enabled()} is false. */
    public static Metrics off() {
        return new Metrics(null, new CompositeMeterRegistry());
    }

    public boolean enabled() {
        return prometheus != null;
    }

    /** The registry, for binding further meters (and for tests). */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void authentication(Outcomes.Authentication outcome) {
        authentications[outcome.ordinal()].increment();
        if (outcome == Outcomes.Authentication.THROTTLED) {
            tokenThrottled.increment();
        }
    }

    @Override
    public void loginThrottled() {
        loginThrottled.increment();
    }

    /**
     * Counts what the audit trail is told of the requests that changed nothing, by the kind the event carries (never
     * by its words): refused tokens by {@link RefusalReason}, lockouts by {@link Lockout}. For {@code AuditTrail}'s
     * observer; allocates nothing.
     */
    public void audited(AuditEvent event) {
        if (event.kind() instanceof RefusalReason reason) {
            refusals[reason.ordinal()].increment();
        } else if (event.kind() instanceof Lockout lockout) {
            lockouts[lockout.ordinal()].increment();
        }
    }

    /** {@code store} with its token lookups timed; {@code store} itself when off. */
    public TokenStore timed(TokenStore store) {
        return enabled() ? new TimedTokenStore(store, lookupFound, lookupNotFound, lookupFailed) : store;
    }

    /** The validation cache's hits, misses, evictions and size, read from Caffeine's statistics at each scrape. */
    public void bindCache(ValidationCache cache) {
        FunctionCounter.builder("tokenauth.token.cache.gets", cache, c -> c.stats().hitCount())
                .description("Token validation cache lookups, by result").tag("result", "hit").register(registry);
        FunctionCounter.builder("tokenauth.token.cache.gets", cache, c -> c.stats().missCount())
                .description("Token validation cache lookups, by result").tag("result", "miss").register(registry);
        FunctionCounter.builder("tokenauth.token.cache.evictions", cache, c -> c.stats().evictionCount())
                .description("Tokens the validation cache dropped for its size bound").register(registry);
        Gauge.builder("tokenauth.token.cache.size", cache, ValidationCache::size).strongReference(true)
                .description("Tokens in the validation cache (approximately)").register(registry);
    }

    /**
     * The webhook: events waiting in the outbox (every node's, as this node's sender last counted them), and this
     * node's events delivered, given up on, and failed attempts.
     */
    public void bindWebhook(WebhookSender sender) {
        Gauge.builder("tokenauth.webhook.events.pending", sender, WebhookSender::pending).strongReference(true)
                .description("Webhook events waiting for delivery, on every node (as this node last counted them)")
                .register(registry);
        FunctionCounter.builder("tokenauth.webhook.events.sent", sender, WebhookSender::delivered)
                .description("Webhook events this node delivered").register(registry);
        FunctionCounter.builder("tokenauth.webhook.events.failed", sender, WebhookSender::undeliverable)
                .description("Webhook events this node gave up on after the retry bound").register(registry);
        FunctionCounter.builder("tokenauth.webhook.attempts.failed", sender, WebhookSender::failedAttempts)
                .description("Webhook deliveries this node tried that failed (each retried or given up)")
                .register(registry);
    }

    /** {@code tokenauth_database_up}: 1 while {@code available} says the database answers, else 0. */
    public void bindDatabase(BooleanSupplier available) {
        Gauge.builder("tokenauth.database.up", available, a -> a.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while the database answers (as the last operation on it found), else 0")
                .register(registry);
    }

    /** Writes every meter in the Prometheus text format ({@link #CONTENT_TYPE}); nothing when off. */
    public void scrape(OutputStream out) throws IOException {
        if (prometheus != null) {
            prometheus.scrape(out, CONTENT_TYPE);
        }
    }

    /** Stops the JVM meters' listeners (they would hold this application's classes after an undeploy). */
    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Closing a JVM meter failed: " + e);
            }
        }
        closeables.clear();
        registry.close();
    }

    private void bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
    }

    private Counter throttled(String throttle) {
        return Counter.builder("tokenauth.throttled.requests").description("Requests refused with 429, by throttle")
                .tag("throttle", throttle).register(registry);
    }

    private Timer lookup(String result) {
        return Timer.builder("tokenauth.token.lookup")
                .description("Database lookups of a presented token (validation cache misses), by result")
                .tag("result", result)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }
}
