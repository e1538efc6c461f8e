package dev.tokenauth.persistence;

import java.util.List;

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
    public void append(List<AuditEvent> events) {
        tx.run("audit append", em -> {
            events.forEach(e -> em.persist(new AuditEntity(e)));
            return null;
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
