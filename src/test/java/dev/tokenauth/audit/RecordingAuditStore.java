package dev.tokenauth.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@link AuditStore} in a list, for tests to read what was stored. */
public final class RecordingAuditStore implements AuditStore {

    private final List<AuditEvent> stored = new ArrayList<>();

    /** Ids are positions in the list, from 1. */
    @Override
    public synchronized List<Long> append(List<AuditEvent> events, Map<Long, AuditEvent.Occurrences> more) {
        more.forEach((id, added) -> {
            AuditEvent row = stored.get((int) (id - 1));
            stored.set((int) (id - 1), row.withOccurrences(new AuditEvent.Occurrences(
                    row.occurrences().count() + added.count(), added.last())));
        });
        List<Long> ids = new ArrayList<>();
        for (AuditEvent e : events) {
            stored.add(e);
            ids.add((long) stored.size());
        }
        return ids;
    }

    /** Everything stored so far, oldest first; the query's filters and paging are not applied. */
    @Override
    public synchronized List<AuditEvent> query(AuditQuery query) {
        return List.copyOf(stored);
    }

    public synchronized List<AuditEvent> stored() {
        return List.copyOf(stored);
    }
}
