package dev.tokenauth.audit;

import java.util.ArrayList;
import java.util.List;

/** An {@link AuditStore} in a list, for tests to read what was stored. */
public final class RecordingAuditStore implements AuditStore {

    private final List<AuditEvent> stored = new ArrayList<>();

    @Override
    public synchronized void append(List<AuditEvent> events) {
        stored.addAll(events);
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
