package dev.tokenauth.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers when each token last authenticated a request, and from which client addresses, in memory, so that the
 * hot path writes nothing to the database; a background task writes {@link #pendingUses} into the store once an
 * interval. A crash loses at most one interval of last-use times.
 */
public final class LastUseRecorder {

    /**
     * The uses of one token since the last write: the latest time, and the most recent distinct addresses with their
     * latest times, newest first. Immutable, so that a write can tell (by identity) whether it changed meanwhile.
     */
    record Use(Instant last, List<TokenInfo.UsedFrom> from) {

        /** This use and one more; {@code this} itself when the new use changes nothing, as most do. */
        Use and(Instant at, String address, int keep) {
            int i = keep == 0 || address == null ? -1 : indexOf(address);
            boolean known = keep == 0 || address == null || i >= 0;
            if (known && !at.isAfter(last) && (i < 0 || !at.isAfter(from.get(i).at()))) {
                return this;
            }
            Instant latest = at.isAfter(last) ? at : last;
            if (keep == 0 || address == null) {
                return new Use(latest, from);
            }
            List<TokenInfo.UsedFrom> next = new ArrayList<>(from.size() + 1);
            next.addAll(from);
            if (i >= 0) {
                next.remove(i);
            }
            int slot = 0;
            while (slot < next.size() && next.get(slot).at().isAfter(at)) {
                slot++;
            }
            next.add(slot, new TokenInfo.UsedFrom(address, at));
            while (next.size() > keep) {
                next.remove(next.size() - 1);
            }
            return new Use(latest, List.copyOf(next));
        }

        /** Whether a use at {@code millis} from {@code address} would change nothing of this one. */
        boolean covers(long millis, String address, int keep) {
            if (millis > last.toEpochMilli()) {
                return false;
            }
            if (keep == 0 || address == null) {
                return true;
            }
            int i = indexOf(address);
            return i >= 0 && millis <= from.get(i).at().toEpochMilli();
        }

        private int indexOf(String address) {
            for (int i = 0; i < from.size(); i++) {
                if (from.get(i).address().equals(address)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * A token's pending use, replaced by compare-and-set: a request thread that records a use takes no lock (every
     * write to a ConcurrentHashMap locks its bin, and on two cores a thread preempted while holding it stalled every
     * request of that token for a scheduler quantum). {@link #WRITTEN} marks a slot whose use the store took; the slot
     * then leaves the map, and a use recorded after that goes to a new slot.
     */
    private static final class Slot {
        final AtomicReference<Use> use = new AtomicReference<>();
    }

    private static final Use WRITTEN = new Use(Instant.EPOCH, List.of());

    private final ConcurrentHashMap<Long, Slot> pending = new ConcurrentHashMap<>();
    private final int keep;

    /** A recorder that keeps no addresses. */
    public LastUseRecorder() {
        this(0);
    }

    /** @param keep how many distinct addresses of each token to keep; 0 for none */
    public LastUseRecorder(int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be >= 0");
        }
        this.keep = keep;
    }

    int keep() {
        return keep;
    }

    void record(long tokenId, Instant at, String address) {
        // Kept to the millisecond, as the store keeps them: the many uses of a busy token within one millisecond
        // then change nothing and make nothing.
        long millis = at.toEpochMilli();
        Slot slot = pending.get(tokenId);
        while (true) {
            if (slot == null) {
                slot = pending.computeIfAbsent(tokenId, id -> new Slot());
            }
            Use current = slot.use.get();
            if (current == WRITTEN) {
                pending.remove(tokenId, slot);
                slot = null;
                continue;
            }
            if (current != null && current.covers(millis, address, keep)) {
                return;
            }
            Instant atMillis = Instant.ofEpochMilli(millis);
            Use next = current == null
                    ? new Use(atMillis, keep == 0 || address == null ? List.of()
                            : List.of(new TokenInfo.UsedFrom(address, atMillis)))
                    : current.and(atMillis, address, keep);
            if (slot.use.compareAndSet(current, next)) {
                return;
            }
        }
    }

    /** The use of this slot not yet written, or null. */
    private static Use unwritten(Slot slot) {
        Use use = slot == null ? null : slot.use.get();
        return use == WRITTEN ? null : use;
    }

    /** The last use not yet written to the store. */
    Optional<Instant> pending(long tokenId) {
        Use use = unwritten(pending.get(tokenId));
        return use == null ? Optional.empty() : Optional.of(use.last());
    }

    /** The addresses not yet written to the store, newest first. */
    List<TokenInfo.UsedFrom> pendingAddresses(long tokenId) {
        Use use = unwritten(pending.get(tokenId));
        return use == null ? List.of() : use.from();
    }

    /**
     * The pending uses, to be written; they stay pending (and listed) until {@link #written} says they are in the
     * store, so that a listing made while they are being written still shows them.
     */
    Map<Long, Use> pendingUses() {
        // Loops, not lambdas, on the way of the last write at a JVM stop (see JpaTokenStore#prepareTheStopPath).
        Map<Long, Use> uses = new HashMap<>();
        for (Map.Entry<Long, Slot> e : pending.entrySet()) {
            Use use = unwritten(e.getValue());
            if (use != null) {
                uses.put(e.getKey(), use);
            }
        }
        return uses;
    }

    /** Forgets the uses of {@code batch} now in the store, keeping any newer use recorded meanwhile. */
    void written(Map<Long, Use> batch) {
        for (Map.Entry<Long, Use> e : batch.entrySet()) {
            Slot slot = pending.get(e.getKey());
            // Only the very use that was written: a use recorded since makes the compare fail, and stays pending.
            if (slot != null && slot.use.compareAndSet(e.getValue(), WRITTEN)) {
                pending.remove(e.getKey(), slot);
            }
        }
    }

    /** The last-use times of {@code batch}, as the store takes them. */
    static Map<Long, Instant> times(Map<Long, Use> batch) {
        // Loops, not lambdas, on the way of the last write at a JVM stop (see JpaTokenStore#prepareTheStopPath).
        Map<Long, Instant> times = new HashMap<>();
        for (Map.Entry<Long, Use> e : batch.entrySet()) {
            times.put(e.getKey(), e.getValue().last());
        }
        return times;
    }

    /** The addresses of {@code batch}, as the store takes them; tokens without any are left out. */
    static Map<Long, Map<String, Instant>> addresses(Map<Long, Use> batch) {
        Map<Long, Map<String, Instant>> addresses = new HashMap<>();
        for (Map.Entry<Long, Use> e : batch.entrySet()) {
            if (!e.getValue().from().isEmpty()) {
                Map<String, Instant> from = new LinkedHashMap<>();
                for (TokenInfo.UsedFrom u : e.getValue().from()) {
                    from.put(u.address(), u.at());
                }
                addresses.put(e.getKey(), from);
            }
        }
        return addresses;
    }

    /** Stored and pending addresses as one list: each address once, at its latest time, newest first, {@code keep} at most. */
    static List<TokenInfo.UsedFrom> merged(List<TokenInfo.UsedFrom> stored, List<TokenInfo.UsedFrom> pending, int keep) {
        Map<String, Instant> latest = new HashMap<>();
        for (List<TokenInfo.UsedFrom> list : List.of(stored, pending)) {
            list.forEach(u -> latest.merge(u.address(), u.at(), (a, b) -> a.isAfter(b) ? a : b));
        }
        return latest.entrySet().stream()
                .map(e -> new TokenInfo.UsedFrom(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparing(TokenInfo.UsedFrom::at).reversed()
                        .thenComparing(TokenInfo.UsedFrom::address))
                .limit(keep)
                .toList();
    }
}
