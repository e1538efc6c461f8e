package dev.tokenauth.audit;

import java.util.List;
import java.util.Map;

/** Persistence of the audit trail. Throws {@link dev.tokenauth.StoreUnavailableException} when it cannot answer. */
public interface AuditStore {

    /** Stores new events in one transaction. */
    default void append(List<AuditEvent> events) {
        append(events, Map.of());
    }

    /**
     * In one transaction, stores new events, and adds to entries stored before that stand for several events
     * ({@link AuditEvent#occurrences}): by row id, how many more and the newest one's time.
     *
     * @return the new events' ids, in their order
     */
    List<Long> append(List<AuditEvent> events, Map<Long, AuditEvent.Occurrences> moreOccurrences);

    /** The page asked for, plus one more event when there is one, so the caller knows if a next page exists. */
    List<AuditEvent> query(AuditQuery query);
}
