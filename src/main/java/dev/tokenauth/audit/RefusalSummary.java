package dev.tokenauth.audit;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import dev.tokenauth.log.LogText;

/**
 * Counts refused requests between two summaries, by reason and by client address, so that the server log says
 * in one line what would otherwise be a line per request (which let anyone with curl fill the server's disk).
 * Counting allocates nothing for a reason or address seen before and takes no lock. At most
 * {@value #MAX_ADDRESSES} addresses are told apart in one period; the rest are counted together.
 */
final class RefusalSummary {

    static final int MAX_ADDRESSES = 1000;
    static final int BUSIEST_SHOWN = 5;

    private static final class Counts {
        final LongAdder total = new LongAdder();
        final LongAdder otherAddresses = new LongAdder();
        final LongAdder notStored = new LongAdder();
        final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byAddress = new ConcurrentHashMap<>();
    }

    private final AtomicReference<Counts> current = new AtomicReference<>(new Counts());

    void count(String reason, String clientAddress) {
        Counts c = current.get();
        c.total.increment();
        c.byReason.computeIfAbsent(reason == null ? "unknown reason" : reason, r -> new LongAdder()).increment();
        String address = clientAddress == null ? "unknown address" : clientAddress;
        LongAdder perAddress = c.byAddress.get(address);
        if (perAddress == null && c.byAddress.size() >= MAX_ADDRESSES) {
            c.otherAddresses.increment();
            return;
        }
        (perAddress != null ? perAddress : c.byAddress.computeIfAbsent(address, a -> new LongAdder())).increment();
    }

    /** A refusal that was counted but could not be queued for the audit store. */
    void notStored() {
        current.get().notStored.increment();
    }

    /**
     * The summary of the period that ends now, and a new period begun; null when nothing was refused. A count made
     * while the period is being closed may fall to either period.
     */
    String takeLine(long periodSeconds) {
        Counts c = current.getAndSet(new Counts());
        long total = c.total.sum();
        if (total == 0) {
            return null;
        }
        StringBuilder line = new StringBuilder("AUDIT TOKEN_REFUSED summary: ").append(total)
                .append(" requests refused in the last ").append(periodSeconds).append(" s (")
                .append(descending(c.byReason, c.byReason.size())).append("); busiest clients: ")
                .append(descending(c.byAddress, BUSIEST_SHOWN));
        long others = c.otherAddresses.sum();
        if (others > 0) {
            line.append(", ").append(others).append(" from further addresses");
        }
        long notStored = c.notStored.sum();
        if (notStored > 0) {
            line.append("; ").append(notStored).append(" not stored (audit queue full)");
        }
        return line.toString();
    }

    private static String descending(Map<String, LongAdder> counts, int limit) {
        return counts.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(e -> LogText.escape(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
