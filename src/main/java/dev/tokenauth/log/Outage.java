package dev.tokenauth.log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Whether something the requests depend on (the database, a remote token service) answers, as the calls to it find:
 * a failure that lasts is logged once when it starts (with its cause, no stack trace) and once when it ends (how
 * long, how many calls failed meanwhile), never once per request, however many requests it refuses.
 */
public final class Outage {

    private final Logger log;
    private final String what;
    private final Clock clock;
    /** When the current outage began; null while it answers. */
    private final AtomicReference<Instant> downSince = new AtomicReference<>();
    private final LongAdder failedMeanwhile = new LongAdder();

    /**
     * @param log where the two lines go (the owner's logger, so that operators filter by it)
     * @param what what fails, as the lines name it: "Database", "Token service at https://tokens.example"
     * @param clock the time of an outage's start and end, for how long it lasted
     */
    public Outage(Logger log, String what, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.what = Objects.requireNonNull(what, "what");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean available() {
        return downSince.get() == null;
    }

    /** A call failed: the first failure of an outage is logged, the others only counted. */
    public void failed(String operation, String cause) {
        failedMeanwhile.increment();
        Instant now = clock.instant();
        if (downSince.compareAndSet(null, now)) {
            log.warning(() -> what + " unavailable (first failure: " + operation + ": " + cause
                    + "); requests that need it are refused with 503 until it answers again");
        }
    }

    /** A call was answered: an outage under way ends, with one line. */
    public void answered() {
        Instant since = downSince.get();
        if (since != null && downSince.compareAndSet(since, null)) {
            long failed = failedMeanwhile.sumThenReset();
            Duration down = Duration.between(since, clock.instant());
            log.info(() -> what + " available again after " + Math.max(1, down.toSeconds()) + " s; " + failed
                    + " operations failed meanwhile");
        }
    }

    /**
     * The innermost message, which names what failed (a refused connection, a timeout), never a secret we hold;
     * escaped, since a driver or a server may quote a value the client sent.
     */
    public static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName()
                + (message == null ? "" : ": " + LogText.escape(message.lines().findFirst().orElse("")));
    }
}
