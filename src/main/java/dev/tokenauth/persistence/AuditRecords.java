package dev.tokenauth.persistence;

import java.time.Instant;
import java.util.Objects;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.webhook.WebhookEventType;
import dev.tokenauth.webhook.WebhookPayload;
import dev.tokenauth.webhook.WebhookSubscription;
import jakarta.persistence.EntityManager;

/**
 * Stores an audit event inside a unit of work, and with it, in the same transaction, the webhook's outbox row when
 * the webhook is sent events of its type: the event is delivered exactly when the change it tells of was committed.
 */
final class AuditRecords {

    static final AuditRecords WITHOUT_WEBHOOK = new AuditRecords(WebhookSubscription.NONE);

    private final WebhookSubscription webhook;

    AuditRecords(WebhookSubscription webhook) {
        this.webhook = Objects.requireNonNull(webhook, "webhook");
    }

    /** Persists the event (and its outbox row); returns its entity, whose id the next flush gives. */
    AuditEntity add(EntityManager em, AuditEvent event) {
        return add(em, event, null);
    }

    /** As {@link #add(EntityManager, AuditEvent)}; {@code expiresAt}: the token's, for {@code token.expiring}. */
    AuditEntity add(EntityManager em, AuditEvent event, Instant expiresAt) {
        AuditEntity row = new AuditEntity(event);
        em.persist(row);
        webhook.typeOf(event).ifPresent(type -> outbox(em, type, event, expiresAt));
        return row;
    }

    private static void outbox(EntityManager em, WebhookEventType type, AuditEvent event, Instant expiresAt) {
        String id = WebhookEventEntity.newEventId();
        em.persist(new WebhookEventEntity(type, id, WebhookPayload.json(id, type, event, expiresAt), event.at()));
    }
}
