package dev.tokenauth.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;

/**
 * Writes audit events to the server log, and stores them.
 * <p>
 * Events that record a change (a token created, revoked, rotated) are stored by the token store in the same
 * transaction as the change, then passed to {@link #logged}. Events that change nothing, such as a refused
 * token, go through {@link #recordLater}: queued in memory and stored in batches by a background task, so
 * that a flood of bad requests costs no database write each and never blocks a request. When the queue is
 * full, further such events are counted and logged but not stored.
 */
public final class AuditTrail {

    private static final Logger LOG = Logger.getLogger("dev.tokenauth.audit");
    static final int QUEUE_CAPACITY = 10_000;

    private final AuditStore store;
    private final BlockingQueue<AuditEvent> pending = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();

    public AuditTrail(AuditStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Logs an event that was already stored. */
    public void logged(AuditEvent event) {
        LOG.info(event::describe);
    }

    /** Logs an event now and stores it with the next {@link #flush}. */
    public void recordLater(AuditEvent event) {
        LOG.info(event::describe);
        if (!pending.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Stores an event now, in its own transaction, and logs it. */
    public void recordNow(AuditEvent event) {
        store.append(List.of(event));
        logged(event);
    }

    /** Stores the queued events; run by a background task, and once at shutdown. */
    public void flush() {
        List<AuditEvent> batch = new ArrayList<>();
        pending.drainTo(batch);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warning("Audit queue was full: " + lost + " refused-request events were logged but not stored");
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.append(batch);
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, batch.size() + " queued audit events could not be stored (they were logged)", e);
        }
    }

    public List<AuditEvent> query(AuditQuery query) {
        return store.query(query);
    }
}
