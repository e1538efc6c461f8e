package dev.tokenauth.persistence;

import java.time.Clock;
import java.util.logging.Logger;

import dev.tokenauth.log.Outage;

/**
 * Whether the database answers, as the operations on it find: an {@link Outage} of the database, logged when it
 * starts and when it ends. Each {@link Database} has one, shared by every store on it; only failures of the database
 * count ({@link Transactions}), never a fault of the program.
 */
public final class StoreAvailability {

    private static final Logger LOG = Logger.getLogger(StoreAvailability.class.getName());

    private final Outage outage;

    /** @param clock the time of an outage's start and end, for how long it lasted */
    StoreAvailability(Clock clock) {
        this.outage = new Outage(LOG, "Database", clock);
    }

    public boolean available() {
        return outage.available();
    }

    void failed(String operation, Throwable cause) {
        outage.failed(operation, rootCause(cause));
    }

    void answered() {
        outage.answered();
    }

    static String rootCause(Throwable e) {
        return Outage.rootCause(e);
    }
}
