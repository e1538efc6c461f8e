package dev.tokenauth.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import dev.tokenauth.log.LogText;

/**
 * Whether the database answers, as the operations on it find: a failure that lasts is logged once when it starts
 * (with its cause, no stack trace) and once when it ends (how long, how many operations failed meanwhile), never
 * once per request, however many requests it refuses. Each {@link Database} has one, shared by every store on it;
 * only failures of the database count ({@link Transactions}), never a fault of the program.
 */
public final class StoreAvailability {

    private static final Logger LOG = Logger.getLogger(StoreAvailability.class.getName());

    /** When the current outage began; null while the database answers. */
    private final AtomicReference<Instant> downSince = new AtomicReference<>();
    private final LongAdder failedMeanwhile = new LongAdder();
    private final Clock clock;

    /** @param clock the time of an outage's start and end, for how long it lasted */
    StoreAvailability(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean available() {
        return downSince.get() == null;
    }

    void failed(String operation, Throwable cause) {
        failedMeanwhile.increment();
        Instant now = clock.instant();
        if (downSince.compareAndSet(null, now)) {
            LOG.warning(() -> "Database unavailable (first failure: " + operation + ": " + rootCause(cause)
                    + "); requests that need it are refused with 503 until it answers again");
        }
    }

    void answered() {
        Instant since = downSince.get();
        if (since != null && downSince.compareAndSet(since, null)) {
            long failed = failedMeanwhile.sumThenReset();
            Duration down = Duration.between(since, clock.instant());
            LOG.info(() -> "Database available again after " + Math.max(1, down.toSeconds()) + " s; " + failed
                    + " operations failed meanwhile");
        }
    }

    /**
     * The innermost message, which names what failed (a refused connection, a timeout), never a secret we hold;
     * escaped, since a driver may quote a value the client sent.
     */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName()
                + (message == null ? "" : ": " + LogText.escape(message.lines().findFirst().orElse("")));
    }
}
