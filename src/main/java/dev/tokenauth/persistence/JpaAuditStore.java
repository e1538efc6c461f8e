package dev.tokenauth.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditStore;
import dev.tokenauth.webhook.WebhookSubscription;
import jakarta.persistence.TypedQuery;

/** {@link AuditStore} on Jakarta Persistence. */
public final class JpaAuditStore implements AuditStore {

    private final Transactions tx;
    private final AuditRecords records;

    public JpaAuditStore(Database database) {
        this(database, WebhookSubscription.NONE);
    }

    /** @param webhook the events that also go into the webhook's outbox (a lockout, a user disabled) */
    public JpaAuditStore(Database database, WebhookSubscription webhook) {
        this(database.transactions(), new AuditRecords(webhook));
    }

    JpaAuditStore(Transactions tx) {
        this(tx, AuditRecords.WITHOUT_WEBHOOK);
    }

    JpaAuditStore(Transactions tx, AuditRecords records) {
        this.tx = tx;
        this.records = records;
    }

    @Override
    public List<Long> append(List<AuditEvent> events, Map<Long, AuditEvent.Occurrences> moreOccurrences) {
        return tx.run("audit append", em -> {
            // One by one: EclipseLink's commit does not keep the order of persist, and ids are the trail's order.
            // With identity ids every row is an insert of its own anyway.
            List<AuditEntity> added = new ArrayList<>();
            for (AuditEvent event : events) {
                added.add(records.add(em, event));
                em.flush();
            }
            // In id order, as every server does, so that two flushes growing the same rows never deadlock.
            List<Long> ids = new ArrayList<>(moreOccurrences.keySet());
            ids.sort(null);
            for (Long id : ids) {
                AuditEvent.Occurrences more = moreOccurrences.get(id);
                em.createNamedQuery(AuditEntity.ADD_OCCURRENCES)
                        .setParameter("id", id)
                        .setParameter("count", more.count())
                        .setParameter("last", more.last())
                        .executeUpdate();
            }
            return added.stream().map(AuditEntity::id).toList();
        });
    }

    @Override
    public List<AuditEvent> query(AuditQuery query) {
        return tx.run("audit query", em -> {
            TypedQuery<AuditEntity> q = query.user() == null
                    ? em.createQuery("SELECT a FROM AuditEntity a ORDER BY a.id DESC", AuditEntity.class)
                    : em.createQuery("SELECT a FROM AuditEntity a WHERE a.user = :user OR a.actingUser = :user"
                            + " ORDER BY a.id DESC", AuditEntity.class).setParameter("user", query.user());
            return q.setFirstResult(query.offset())
                    .setMaxResults(query.limit() + 1)
                    .getResultStream()
                    .map(AuditEntity::toEvent)
                    .toList();
        });
    }
}
