package dev.tokenauth.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;

/**
 * Delivers the outbox's events, one at a time: takes one (a claim that another node's sender respects until it runs
 * out), posts it, and records the outcome; a failed attempt waits as the {@link RetryPolicy} says, and an event past
 * its bound ends as undeliverable, with one audit event. Runs on a thread of its own ({@link #deliverDue} is what it
 * runs), never on a request's. A receiver that keeps failing is said in the log when it starts and when it ends, with
 * counts, not at every attempt.
 * <p>
 * At least once: a node killed after a receiver took an event but before the outcome was stored leaves the claim to
 * run out, and the event is sent again; a receiver tells the two apart by the event's id.
 */
public final class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
    /**
     * An attempt's longest run in timeouts: the connection, the answer's first line, its body's reading, and the one
     * time the JDK sends a buffered POST again after an I/O error (a kept-alive connection the receiver had closed).
     */
    static final int TIMEOUTS_PER_ATTEMPT = 4;
    /** What a claim adds to the attempt's longest run: the outcome's write, bounded by the database's own timeout. */
    static final Duration CLAIM_MARGIN = Duration.ofSeconds(10);
    /** The most events one round delivers before it lets the schedule (and a stop) in. */
    static final int MOST_PER_ROUND = 200;

    private final Outbox outbox;
    private final WebhookReceiver receiver;
    private final RetryPolicy retry;
    private final Duration claim;
    private final AuditTrail audit;
    private final Clock clock;
    private final String name;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private long failingAttempts;

    /**
     * @param timeout the receiver's bound on each wait of an attempt: a claim lasts {@link #TIMEOUTS_PER_ATTEMPT} of
     *        them and {@link #CLAIM_MARGIN}
     * @param name this sender among the nodes' (its claims carry it)
     */
    public WebhookSender(Outbox outbox, WebhookReceiver receiver, RetryPolicy retry, Duration timeout,
            AuditTrail audit, Clock clock, String name) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.claim = timeout.multipliedBy(TIMEOUTS_PER_ATTEMPT).plus(CLAIM_MARGIN);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * One round: delivers the events due, one after the other, until none is left (or {@link #MOST_PER_ROUND}), then
     * counts those that wait.
     *
     * @return how many were delivered
     * @throws StoreUnavailableException when the outbox cannot answer (the round ends; the next one retries)
     */
    public int deliverDue() {
        int deliveredNow = 0;
        for (int i = 0; i < MOST_PER_ROUND && !Thread.currentThread().isInterrupted(); i++) {
            Instant now = clock.instant();
            List<Outbox.Event> taken = outbox.claimDue(name, now, now.plus(claim), 1);
            if (taken.isEmpty()) {
                break;
            }
            if (deliver(taken.get(0))) {
                deliveredNow++;
            }
        }
        pending.set(outbox.pending());
        return deliveredNow;
    }

    private boolean deliver(Outbox.Event event) {
        WebhookReceiver.Attempt attempt = receiver.post(event);
        Instant now = clock.instant();
        if (attempt.delivered()) {
            outbox.delivered(event, name, now);
            delivered.incrementAndGet();
            if (failingAttempts > 0) {
                long failed = failingAttempts;
                failingAttempts = 0;
                LOG.info(() -> "Webhook deliveries to " + receiver.describe() + " work again, after " + failed
                        + " failed attempts");
            }
            return true;
        }
        failedAttempts.incrementAndGet();
        if (failingAttempts++ == 0) {
            LOG.warning(() -> "Webhook deliveries to " + receiver.describe() + " fail (" + attempt.failure()
                    + "); the events wait and are retried, the first after " + retry.first().toSeconds() + " s");
        }
        int attempts = event.attempts() + 1;
        retry.next(attempts, event.storedAt(), now).ifPresentOrElse(
                next -> outbox.retryAt(event, name, next, attempt.failure()),
                () -> giveUp(event, attempts, attempt.failure(), now));
        return false;
    }

    private void giveUp(Outbox.Event event, int attempts, String failure, Instant now) {
        AuditEvent gaveUp = AuditEvent.of(now, AuditType.WEBHOOK_GAVE_UP, null, null, null,
                "event " + event.eventId() + " (" + event.type().eventName() + ") not delivered after " + attempts
                        + " attempts in " + Duration.between(event.storedAt(), now).toMinutes() + " min; last: "
                        + failure);
        outbox.gaveUp(event, name, now, failure, gaveUp);
        undeliverable.incrementAndGet();
        audit.logged(gaveUp);
    }

    /** Events delivered by this sender since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Failed attempts of this sender since start (each is retried, or ends its event). */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Events this sender gave up on since start. */
    public long undeliverable() {
        return undeliverable.get();
    }

    /** Events waiting in the outbox (of every node), as the last round counted them. */
    public long pending() {
        return pending.get();
    }

    public String name() {
        return name;
    }
}
