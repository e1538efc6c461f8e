package dev.tokenauth.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import dev.tokenauth.EventKind;

/**
 * Refused requests counted for the audit store as one entry per client address, reason and token (if any) and
 * minute, with a count and the first and last times: a flood of refusals costs a handful of rows a minute, not a
 * row each, and cannot fill a disk, while the trail still says which address was refused for what, and when.
 * <p>
 * Counting takes no lock and allocates only the key once a tally exists. The background flush {@linkplain #drain
 * drains} what was counted since its last run: a new tally becomes a row, a tally stored before adds to its row. A
 * tally whose minute ended more than {@link #SETTLED_AFTER} ago is dropped once drained; a count made later still by
 * a thread that found it before (a pause of that length between two statements) would be lost, the only loss. At most
 * {@value #MAX_TALLIES} tallies are told apart at once; past that, refusals are counted per reason and minute only,
 * without address or token.
 */
final class RefusalTallies {

    static final int MAX_TALLIES = 10_000;
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration SETTLED_AFTER = Duration.ofSeconds(10);

    private record Key(long minute, String address, String detail, EventKind kind, String user, Long tokenId,
            String tokenPrefix) {
    }

    private static final class Tally {
        final long sequence;
        final LongAdder count = new LongAdder();
        final LongAccumulator first = new LongAccumulator(Math::min, Long.MAX_VALUE);
        final LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);
        /** The row that holds this tally once stored; read and written by the flushing thread only. */
        Long rowId;

        Tally(long sequence) {
            this.sequence = sequence;
        }
    }

    static {
        // Loaded with this class, not at the first drain that needs them: the last drain can run in a JVM shutdown
        // hook (Payara Micro's SIGTERM), when the web application's class loader no longer loads classes.
        List.of(Taken.class, Drained.class, AuditEvent.Occurrences.class).forEach(Class::getName);
    }

    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** Counts a refusal ({@code TOKEN_REFUSED}); never blocks. */
    void count(AuditEvent refusal) {
        long at = refusal.at().toEpochMilli();
        long minute = Math.floorDiv(at, MINUTE.toMillis());
        Key key = new Key(minute, refusal.clientAddress(), refusal.detail(), refusal.kind(), refusal.user(),
                refusal.tokenId(), refusal.tokenPrefix());
        Tally tally = tallies.get(key);
        if (tally == null) {
            if (tallies.size() >= MAX_TALLIES) {
                key = new Key(minute, null, refusal.detail(), refusal.kind(), null, null, null);
            }
            tally = tallies.computeIfAbsent(key, k -> new Tally(sequence.incrementAndGet()));
        }
        tally.count.increment();
        tally.first.accumulate(at);
        tally.last.accumulate(at);
    }

    private record Taken(Key key, Tally tally, long count) {
    }

    /** What one {@link #drain} took: rows to add, in the order their first refusal was counted, and rows to grow. */
    final class Drained {
        private final List<Taken> taken = new ArrayList<>();
        private final List<Tally> added = new ArrayList<>();
        private final List<AuditEvent> newRows = new ArrayList<>();
        private final Map<Long, AuditEvent.Occurrences> moreOccurrences = new HashMap<>();

        List<AuditEvent> newRows() {
            return newRows;
        }

        /** By row id: the refusals to add to the row and the newest one's time. */
        Map<Long, AuditEvent.Occurrences> moreOccurrences() {
            return moreOccurrences;
        }

        boolean isEmpty() {
            return taken.isEmpty();
        }

        /** The store took them: each new row's id (in {@link #newRows} order) is its tally's from now on. */
        void stored(List<Long> newRowIds) {
            for (int i = 0; i < added.size(); i++) {
                added.get(i).rowId = newRowIds.get(i);
            }
        }

        /** The store could not take them: they are counted again, for the next flush, even of a minute gone by. */
        void notStored() {
            for (Taken t : taken) {
                Tally current = tallies.putIfAbsent(t.key(), t.tally());
                Tally into = current == null ? t.tally() : current;
                into.count.add(t.count());
                into.first.accumulate(t.tally().first.get());
                into.last.accumulate(t.tally().last.get());
            }
        }
    }

    /**
     * Takes what was counted since the last drain. Called by one thread at a time (the audit flush).
     *
     * @param now the present, to tell the tallies of minutes that ended
     * @param all true at shutdown: every tally is drained and dropped, whatever its minute
     */
    Drained drain(Instant now, boolean all) {
        long settledMinute = Math.floorDiv(now.minus(SETTLED_AFTER).toEpochMilli(), MINUTE.toMillis());
        Drained drained = new Drained();
        List<Map.Entry<Key, Tally>> entries = new ArrayList<>(tallies.entrySet());
        entries.sort(Comparator.comparingLong(e -> e.getValue().sequence));
        for (Map.Entry<Key, Tally> entry : entries) {
            Key key = entry.getKey();
            Tally tally = entry.getValue();
            if (all || key.minute() < settledMinute) {
                // Removed before its count is taken: a count that still finds it is taken below, or lost (see above).
                tallies.remove(key);
            }
            long count = tally.count.sumThenReset();
            if (count == 0) {
                continue;
            }
            Instant last = Instant.ofEpochMilli(tally.last.get());
            AuditEvent.Occurrences occurrences = new AuditEvent.Occurrences(count, last);
            drained.taken.add(new Taken(key, tally, count));
            if (tally.rowId == null) {
                drained.added.add(tally);
                drained.newRows.add(new AuditEvent(0, Instant.ofEpochMilli(tally.first.get()), AuditType.TOKEN_REFUSED,
                        key.user(), null, key.tokenId(), key.tokenPrefix(), key.address(), key.detail(), key.kind(),
                        occurrences));
            } else {
                drained.moreOccurrences.put(tally.rowId, occurrences);
            }
        }
        return drained;
    }
}
