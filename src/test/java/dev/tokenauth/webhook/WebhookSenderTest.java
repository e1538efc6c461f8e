package dev.tokenauth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.audit.RecordingAuditStore;
import dev.tokenauth.RecordedLogs;
import dev.tokenauth.token.MutableClock;

/** The sender's rules, on an outbox in memory and a receiver that answers as the test says. */
class WebhookSenderTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(NOW);
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final Deque<WebhookReceiver.Attempt> answers = new ArrayDeque<>();
    private final List<String> posted = new ArrayList<>();
    private final WebhookReceiver receiver = new WebhookReceiver() {
        @Override
        public Attempt post(Outbox.Event event) {
            posted.add(event.eventId());
            return answers.isEmpty() ? Attempt.ok() : answers.pop();
        }

        @Override
        public String describe() {
            return "https://hooks.example:443";
        }
    };
    private final WebhookSender sender = new WebhookSender(outbox, receiver,
            new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(2)), TIMEOUT,
            new AuditTrail(new RecordingAuditStore(), clock), clock, "node-a/1");

    @Test
    void dueEventsAreDeliveredOldestFirstEachClaimedForFourTimeoutsAndAMargin() {
        outbox.add("e1", NOW);
        outbox.add("e2", NOW);

        assertEquals(2, sender.deliverDue());

        assertEquals(List.of("e1", "e2"), posted);
        assertEquals(List.of("node-a/1 until " + NOW.plus(TIMEOUT.multipliedBy(4)).plus(WebhookSender.CLAIM_MARGIN)), outbox.claims
                .stream().distinct().toList());
        assertEquals(List.of("e1 delivered", "e2 delivered"), outbox.outcomes);
        assertEquals(2, sender.delivered());
        assertEquals(0, sender.pending());
    }

    @Test
    void aFailedAttemptWaitsAsThePolicySaysAndTheFailureIsLoggedOnceUntilItEnds() {
        outbox.add("e1", NOW);
        outbox.add("e2", NOW);
        answers.add(WebhookReceiver.Attempt.failed("HTTP 500"));
        answers.add(WebhookReceiver.Attempt.failed("HTTP 500"));

        List<String> lines;
        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(WebhookSender.class.getName()))) {
            assertEquals(0, sender.deliverDue());
            assertEquals(List.of("e1 retry at " + NOW.plusSeconds(10) + " (HTTP 500)",
                    "e2 retry at " + NOW.plusSeconds(10) + " (HTTP 500)"), outbox.outcomes);
            assertEquals(2, sender.pending());
            assertEquals(0, sender.deliverDue(), "nothing is due before its time");

            clock.advance(Duration.ofSeconds(10));
            assertEquals(2, sender.deliverDue());
            lines = logs.messages();
        }
        assertEquals(List.of("Webhook deliveries to https://hooks.example:443 fail (HTTP 500); the events wait and"
                + " are retried, the first after 10 s",
                "Webhook deliveries to https://hooks.example:443 work again, after 2 failed attempts"), lines);
        assertEquals(2, sender.failedAttempts());
        assertEquals(2, sender.delivered());
        assertEquals(List.of("e1", "e2", "e1", "e2"), posted);
    }

    @Test
    void anEventPastTheBoundIsGivenUpWithOneAuditEvent() {
        outbox.add("e1", NOW);
        for (int i = 0; i < 10; i++) {
            answers.add(WebhookReceiver.Attempt.failed("connection refused"));
        }
        // Attempts at 0, 10, 30 and 70 s: the next wait (80 s) would end past the 2 minutes.
        for (int round = 0; round < 20; round++) {
            sender.deliverDue();
            clock.advance(Duration.ofSeconds(10));
        }

        assertEquals(4, posted.size());
        assertEquals(1, sender.undeliverable());
        assertEquals(4, sender.failedAttempts());
        String last = outbox.outcomes.get(outbox.outcomes.size() - 1);
        assertTrue(last.startsWith("e1 gave up (connection refused): WEBHOOK_GAVE_UP event e1 (token.created) not"
                + " delivered after 4 attempts in "), last);
        assertEquals(0, sender.pending());
    }

    /** An outbox in memory: the claim, retry and end rules of JpaOutbox without a database. */
    private final class MemoryOutbox implements Outbox {
        private final List<Row> rows = new ArrayList<>();
        final List<String> claims = new ArrayList<>();
        final List<String> outcomes = new ArrayList<>();

        private final class Row {
            final Event event;
            Instant next;
            int attempts;
            boolean ended;

            Row(Event event) {
                this.event = event;
                this.next = event.storedAt();
            }
        }

        void add(String eventId, Instant at) {
            rows.add(new Row(new Event(rows.size() + 1, eventId, WebhookEventType.TOKEN_CREATED, "{}", at, 0)));
        }

        @Override
        public List<Event> claimDue(String sender, Instant now, Instant until, int max) {
            claims.add(sender + " until " + until);
            return rows.stream().filter(r -> !r.ended && !r.next.isAfter(now)).limit(max)
                    .map(r -> {
                        r.next = until; // claimed: not due again while the claim lasts
                        return new Event(r.event.id(), r.event.eventId(), r.event.type(), r.event.payload(),
                                r.event.storedAt(), r.attempts);
                    }).toList();
        }

        private Row row(Event e) {
            return rows.get((int) e.id() - 1);
        }

        @Override
        public void delivered(Event event, String sender, Instant at) {
            row(event).ended = true;
            row(event).attempts++;
            outcomes.add(event.eventId() + " delivered");
        }

        @Override
        public void retryAt(Event event, String sender, Instant next, String error) {
            row(event).next = next;
            row(event).attempts++;
            outcomes.add(event.eventId() + " retry at " + next + " (" + error + ")");
        }

        @Override
        public void gaveUp(Event event, String sender, Instant at, String error, AuditEvent gaveUp) {
            row(event).ended = true;
            row(event).attempts++;
            assertEquals(AuditType.WEBHOOK_GAVE_UP, gaveUp.type());
            outcomes.add(event.eventId() + " gave up (" + error + "): " + gaveUp.type() + " " + gaveUp.detail());
        }

        @Override
        public long pending() {
            return rows.stream().filter(r -> !r.ended).count();
        }

        @Override
        public int purgeEndedBefore(Instant cutoff) {
            return 0;
        }
    }
}
