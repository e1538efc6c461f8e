package dev.tokenauth.persistence;

import java.time.Instant;
import java.util.UUID;

import dev.tokenauth.webhook.Outbox;
import dev.tokenauth.webhook.WebhookEventType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * An event of the webhook's outbox: written with its audit event, in the transaction of the change, and then
 * delivered by one node's sender. A sender takes it with a claim (CLAIMED_BY, until CLAIMED_UNTIL_MS), a conditional
 * update that another node's finds already made; its outcome is stored only while the claim is still its own.
 */
@Entity
@Table(name = "TA_WEBHOOK_EVENT", indexes = {
        @Index(name = "TA_WEBHOOK_EVENT_ID", columnList = "EVENT_ID", unique = true),
        @Index(name = "TA_WEBHOOK_EVENT_DUE", columnList = "STATE, NEXT_AT_MS")})
@NamedQuery(name = WebhookEventEntity.DUE, query = "SELECT e FROM WebhookEventEntity e WHERE e.state = :pending"
        + " AND e.nextAt <= :now AND (e.claimedUntil IS NULL OR e.claimedUntil < :now) ORDER BY e.id")
@NamedQuery(name = WebhookEventEntity.CLAIM, query = "UPDATE WebhookEventEntity e SET e.claimedBy = :sender,"
        + " e.claimedUntil = :until WHERE e.id = :id AND e.state = :pending"
        + " AND (e.claimedUntil IS NULL OR e.claimedUntil < :now)")
@NamedQuery(name = WebhookEventEntity.END, query = "UPDATE WebhookEventEntity e SET e.state = :state,"
        + " e.endedAt = :at, e.attempts = e.attempts + 1, e.lastError = :error, e.claimedBy = NULL,"
        + " e.claimedUntil = NULL WHERE e.id = :id AND e.claimedBy = :sender AND e.state = :pending")
@NamedQuery(name = WebhookEventEntity.RETRY, query = "UPDATE WebhookEventEntity e SET e.nextAt = :next,"
        + " e.attempts = e.attempts + 1, e.lastError = :error, e.claimedBy = NULL, e.claimedUntil = NULL"
        + " WHERE e.id = :id AND e.claimedBy = :sender AND e.state = :pending")
@NamedQuery(name = WebhookEventEntity.COUNT_PENDING,
        query = "SELECT COUNT(e) FROM WebhookEventEntity e WHERE e.state = :pending")
@NamedQuery(name = WebhookEventEntity.PURGE_ENDED,
        query = "DELETE FROM WebhookEventEntity e WHERE e.state <> :pending AND e.endedAt < :cutoff")
public class WebhookEventEntity {

    static final String DUE = "WebhookEvent.due";
    static final String CLAIM = "WebhookEvent.claim";
    static final String END = "WebhookEvent.end";
    static final String RETRY = "WebhookEvent.retry";
    static final String COUNT_PENDING = "WebhookEvent.countPending";
    static final String PURGE_ENDED = "WebhookEvent.purgeEnded";

    /** Where an event is: waiting (and perhaps being sent), delivered, or given up on. */
    public enum State { PENDING, DELIVERED, UNDELIVERABLE }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    /** What the receiver de-duplicates by: the same in every attempt, unique among events. */
    @Column(name = "EVENT_ID", nullable = false, length = 36)
    private String eventId;

    @Enumerated(EnumType.STRING)
    @Column(name = "EVENT_TYPE", nullable = false, length = 32)
    private WebhookEventType type;

    @Column(name = "PAYLOAD", nullable = false, length = 6000)
    private String payload;

    @Column(name = "STORED_AT_MS", nullable = false)
    private Instant storedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATE", nullable = false, length = 16)
    private State state;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "NEXT_AT_MS", nullable = false)
    private Instant nextAt;

    @Column(name = "CLAIMED_BY", length = 64)
    private String claimedBy;

    @Column(name = "CLAIMED_UNTIL_MS")
    private Instant claimedUntil;

    @Column(name = "ENDED_AT_MS")
    private Instant endedAt;

    @Column(name = "LAST_ERROR", length = 255)
    private String lastError;

    protected WebhookEventEntity() {
    }

    WebhookEventEntity(WebhookEventType type, String eventId, String payload, Instant storedAt) {
        this.eventId = eventId;
        this.type = type;
        this.payload = payload;
        this.storedAt = storedAt;
        this.nextAt = storedAt;
        this.state = State.PENDING;
    }

    /** A new event id: random, so that ids of several nodes never meet. */
    static String newEventId() {
        return UUID.randomUUID().toString();
    }

    Outbox.Event toEvent() {
        return new Outbox.Event(id, eventId, type, payload, storedAt, attempts);
    }

    Long getId() {
        return id;
    }

    State state() {
        return state;
    }

    int attempts() {
        return attempts;
    }

    String lastError() {
        return lastError;
    }
}
