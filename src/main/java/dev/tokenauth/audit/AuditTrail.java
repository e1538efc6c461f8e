package dev.tokenauth.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;

/**
 * Writes audit events to the server log, and stores them.
 * <p>
 * Events that record a change (a token created, revoked, rotated) are stored by the token store in the same
 * transaction as the change, then passed to {@link #logged}, one log line each. Events that change nothing go
 * through {@link #recordLater} and are stored by a background task, so that no request waits for a database write.
 * A refused token is only counted ({@link RefusalTallies}): stored as one entry per client address, reason, token
 * and minute with a count, so that a flood of bad requests costs a handful of rows a minute and takes no lock; and
 * it gets no log line of its own: the log gets one summary line per period at most (counts by reason and the
 * busiest client addresses). A lockout is queued in memory and stored as an event of its own; when the queue is
 * full, further ones are counted in the summary but not stored.
 */
public final class AuditTrail {

    private static final Logger LOG = Logger.getLogger("dev.tokenauth.audit");
    static final int QUEUE_CAPACITY = 10_000;

    /** The shortest time between two summary lines of refused requests. */
    public static final Duration SUMMARY_PERIOD = Duration.ofMinutes(1);

    private final AuditStore store;
    private final Clock clock;
    private final Consumer<AuditEvent> observer;
    private final BlockingQueue<AuditEvent> pending = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final RefusalSummary refusals = new RefusalSummary();
    private final RefusalTallies tallies = new RefusalTallies();
    private volatile Instant periodStart;

    public AuditTrail(AuditStore store) {
        this(store, Clock.systemUTC());
    }

    public AuditTrail(AuditStore store, Clock clock) {
        this(store, clock, event -> {
        });
    }

    /**
     * @param observer told at once, on the request's thread, of each event {@link #recordLater} gets (the metrics
     *        count refusals and lockouts so); must be cheap and must not fail
     */
    public AuditTrail(AuditStore store, Clock clock, Consumer<AuditEvent> observer) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.periodStart = clock.instant();
    }

    /** Logs an event that was already stored. */
    public void logged(AuditEvent event) {
        LOG.info(event::describe);
    }

    /**
     * Stores an event with the next {@link #flush}. A refused token is counted for the next summary line; a
     * lockout ({@code LOGIN_THROTTLED}, {@code TOKEN_THROTTLED}) is logged at once, as a line of its own: one per
     * allowance used up, and what an operator wants to see when it happens, not inside a count of refused tokens.
     */
    public void recordLater(AuditEvent event) {
        observer.accept(event);
        if (event.type() == AuditType.TOKEN_REFUSED) {
            refusals.count(event.detail(), event.clientAddress());
            tallies.count(event);
            return;
        }
        logged(event);
        if (!pending.offer(event)) {
            refusals.notStored();
        }
    }

    /** Stores an event now, in its own transaction, and logs it. */
    public void recordNow(AuditEvent event) {
        store.append(List.of(event));
        logged(event);
    }

    /**
     * Stores the queued events and the refusals counted since the last flush, and logs the summary of refusals once
     * its period is over; run by a background task, and once at shutdown (which ends the period).
     */
    public void flush() {
        flush(false);
    }

    /** As {@link #flush()}; at shutdown, the summary is written whatever is left of its period. */
    public void flush(boolean endOfPeriod) {
        Instant now = clock.instant();
        if (endOfPeriod || !now.isBefore(periodStart.plus(SUMMARY_PERIOD))) {
            String summary = refusals.takeLine(Math.max(1, Duration.between(periodStart, now).toSeconds()));
            periodStart = now;
            if (summary != null) {
                LOG.info(summary);
            }
        }
        List<AuditEvent> batch = new ArrayList<>();
        pending.drainTo(batch);
        int queued = batch.size();
        RefusalTallies.Drained counted = tallies.drain(now, endOfPeriod);
        if (batch.isEmpty() && counted.isEmpty()) {
            return;
        }
        batch.addAll(counted.newRows());
        try {
            List<Long> ids = store.append(batch, counted.moreOccurrences());
            counted.stored(ids.subList(queued, ids.size()));
        } catch (StoreUnavailableException e) {
            counted.notStored();
            if (queued > 0) {
                LOG.warning(queued + " queued audit events of lockouts could not be stored: " + e.getMessage());
            }
        }
    }

    public List<AuditEvent> query(AuditQuery query) {
        return store.query(query);
    }
}
