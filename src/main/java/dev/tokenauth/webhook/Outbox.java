package dev.tokenauth.webhook;

import java.time.Instant;
import java.util.List;

import dev.tokenauth.audit.AuditEvent;

/**
 * The stored events still to be delivered (the transactional outbox): rows written with their audit events, in the
 * transaction of the change, and taken by one sender at a time across every node on the database. Every method
 * throws {@link dev.tokenauth.StoreUnavailableException} when the store cannot answer.
 */
public interface Outbox {

    /** One stored event, as a sender took it. */
    record Event(long id, String eventId, WebhookEventType type, String payload, Instant storedAt, int attempts) {
    }

    /**
     * Takes at most {@code max} events due at {@code now} (pending, their next attempt come, and taken by no sender
     * or by one whose claim ran out) for {@code sender} until {@code until}, oldest first. Two senders never take the
     * same event while its claim lasts.
     */
    List<Event> claimDue(String sender, Instant now, Instant until, int max);

    /** Marks the event delivered, if {@code sender} still holds it. */
    void delivered(Event event, String sender, Instant at);

    /** Counts a failed attempt and lets the event wait until {@code next}, if {@code sender} still holds it. */
    void retryAt(Event event, String sender, Instant next, String error);

    /**
     * Counts the last failed attempt and ends the event as undeliverable, storing {@code gaveUp} (its audit event) in
     * the same transaction, if {@code sender} still holds it.
     */
    void gaveUp(Event event, String sender, Instant at, String error, AuditEvent gaveUp);

    /** How many events wait for delivery. */
    long pending();

    /** Deletes delivered and undeliverable events that ended before {@code cutoff}; returns how many. */
    int purgeEndedBefore(Instant cutoff);
}
