package dev.tokenauth.audit;

import java.util.List;

/** Persistence of the audit trail. Throws {@link dev.tokenauth.StoreUnavailableException} when it cannot answer. */
public interface AuditStore {

    void append(List<AuditEvent> events);

    /** The page asked for, plus one more event when there is one, so the caller knows if a next page exists. */
    List<AuditEvent> query(AuditQuery query);
}
