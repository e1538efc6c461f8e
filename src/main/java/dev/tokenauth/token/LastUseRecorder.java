package dev.tokenauth.token;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers when each token last authenticated a request, in memory, so that the hot path writes nothing to
 * the database; a background task writes {@link #pendingUses} into the store once an interval. A crash loses at
 * most one interval of last-use times.
 */
public final class LastUseRecorder {

    private final ConcurrentHashMap<Long, Instant> pending = new ConcurrentHashMap<>();

    void record(long tokenId, Instant at) {
        pending.merge(tokenId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The last use not yet written to the store. */
    Optional<Instant> pending(long tokenId) {
        return Optional.ofNullable(pending.get(tokenId));
    }

    /**
     * The pending last uses, to be written; they stay pending (and listed) until {@link #written} says they are in
     * the store, so that a listing made while they are being written still shows them.
     */
    Map<Long, Instant> pendingUses() {
        return new HashMap<>(pending);
    }

    /** Forgets the uses of {@code batch} now in the store, keeping any newer use recorded meanwhile. */
    void written(Map<Long, Instant> batch) {
        batch.forEach(pending::remove);
    }
}
