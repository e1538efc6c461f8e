package dev.tokenauth.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditStore;
import jakarta.persistence.TypedQuery;

/** {@link AuditStore} on Jakarta Persistence. */
public final class JpaAuditStore implements AuditStore {

    private final Transactions tx;

    public JpaAuditStore(Database database) {
        this(database.transactions());
    }

    JpaAuditStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<Long> append(List<AuditEvent> events, Map<Long, AuditEvent.Occurrences> moreOccurrences) {
        return tx.run("audit append", em -> {
            List<AuditEntity> added = events.stream().map(AuditEntity::new).toList();
            // One by one: EclipseLink's commit does not keep the order of persist, and ids are the trail's order.
            // With identity ids every row is an insert of its own anyway.
            added.forEach(e -> {
                em.persist(e);
                em.flush();
            });
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
