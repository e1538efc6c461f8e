package dev.tokenauth.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.persistence.WebhookEventEntity.State;
import dev.tokenauth.webhook.Outbox;

/**
 * {@link Outbox} on Jakarta Persistence. A claim is a conditional update: on PostgreSQL, a second node's update of the
 * same row waits for the first's commit and then finds the row claimed (READ COMMITTED re-reads it), so each event is
 * taken by one sender; an outcome is stored only where the claim is still the sender's.
 */
public final class JpaOutbox implements Outbox {

    /** How many due events beyond {@code max} a claim looks at. */
    static final int CANDIDATES_BEYOND = 4;

    private final Transactions tx;

    public JpaOutbox(Database database) {
        this(database.transactions());
    }

    JpaOutbox(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<Event> claimDue(String sender, Instant now, Instant until, int max) {
        return tx.run("webhook claim", em -> {
            // A few more candidates than wanted: another node may take the first ones between this read and the
            // claims, and this node then takes the next rather than none.
            List<WebhookEventEntity> due = em.createNamedQuery(WebhookEventEntity.DUE, WebhookEventEntity.class)
                    .setParameter("pending", State.PENDING)
                    .setParameter("now", now)
                    .setMaxResults(max + CANDIDATES_BEYOND)
                    .getResultList();
            List<Event> claimed = new ArrayList<>();
            for (WebhookEventEntity e : due) {
                if (claimed.size() == max) {
                    break;
                }
                int updated = em.createNamedQuery(WebhookEventEntity.CLAIM)
                        .setParameter("sender", sender)
                        .setParameter("until", until)
                        .setParameter("id", e.getId())
                        .setParameter("pending", State.PENDING)
                        .setParameter("now", now)
                        .executeUpdate();
                if (updated == 1) {
                    claimed.add(e.toEvent());
                }
            }
            return claimed;
        });
    }

    @Override
    public void delivered(Event event, String sender, Instant at) {
        tx.run("webhook delivered", em -> end(em, event, sender, State.DELIVERED, at, null));
    }

    @Override
    public void retryAt(Event event, String sender, Instant next, String error) {
        tx.run("webhook retry", em -> em.createNamedQuery(WebhookEventEntity.RETRY)
                .setParameter("next", next)
                .setParameter("error", error)
                .setParameter("id", event.id())
                .setParameter("sender", sender)
                .setParameter("pending", State.PENDING)
                .executeUpdate());
    }

    @Override
    public void gaveUp(Event event, String sender, Instant at, String error, AuditEvent gaveUp) {
        tx.run("webhook gave up", em -> {
            if (end(em, event, sender, State.UNDELIVERABLE, at, error) == 1) {
                AuditRecords.WITHOUT_WEBHOOK.add(em, gaveUp);
            }
            return null;
        });
    }

    private static int end(jakarta.persistence.EntityManager em, Event event, String sender, State state, Instant at,
            String error) {
        return em.createNamedQuery(WebhookEventEntity.END)
                .setParameter("state", state)
                .setParameter("at", at)
                .setParameter("error", error)
                .setParameter("id", event.id())
                .setParameter("sender", sender)
                .setParameter("pending", State.PENDING)
                .executeUpdate();
    }

    @Override
    public long pending() {
        return tx.run("webhook pending", em -> em.createNamedQuery(WebhookEventEntity.COUNT_PENDING, Long.class)
                .setParameter("pending", State.PENDING)
                .getSingleResult());
    }

    @Override
    public int purgeEndedBefore(Instant cutoff) {
        return tx.run("webhook purge", em -> em.createNamedQuery(WebhookEventEntity.PURGE_ENDED)
                .setParameter("pending", State.PENDING)
                .setParameter("cutoff", cutoff)
                .executeUpdate());
    }
}
