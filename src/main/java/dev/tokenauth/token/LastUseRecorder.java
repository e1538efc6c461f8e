package dev.tokenauth.token;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers when each token last authenticated a request, in memory, so that the hot path writes nothing to
 * the database; a background task {@link #drain drains} it into the store once an interval. A crash loses at
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

    /** Takes the pending last uses, leaving newer ones recorded meanwhile in place. */
    Map<Long, Instant> drain() {
        Map<Long, Instant> batch = new HashMap<>();
        for (Long id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        return batch;
    }

    /** Puts back what could not be written, unless a newer use was recorded since. */
    void restore(Map<Long, Instant> batch) {
        batch.forEach(this::record);
    }
}
