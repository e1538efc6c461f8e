package dev.tokenauth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditType;

class WebhookPayloadTest {

    private static final Instant AT = Instant.parse("2026-12-03T16:40:00.123Z");

    @Test
    void aLeakReportNamesTheTokenByIdAndPrefixAndTheReporterByAddress() {
        AuditEvent leak = AuditEvent.of(AT, AuditType.TOKEN_LEAK_REPORTED, "alice", null, "203.0.113.7",
                "reported as leaked").withToken(12L, "tka_AbCdEfGh");

        assertEquals("{\"id\":\"5f0c9a8e-0000-4000-8000-000000000001\",\"type\":\"token.leaked\","
                + "\"time\":\"2026-12-03T16:40:00.123Z\",\"user\":\"alice\",\"acting_user\":null,"
                + "\"token\":{\"id\":12,\"prefix\":\"tka_AbCdEfGh\"},\"address\":\"203.0.113.7\","
                + "\"detail\":\"reported as leaked\"}",
                WebhookPayload.json("5f0c9a8e-0000-4000-8000-000000000001", WebhookEventType.TOKEN_LEAKED, leak, null));
    }

    @Test
    void anEventWithoutATokenHasANullTokenAndAnExpiryWarningHasItsExpiry() {
        AuditEvent lockout = AuditEvent.of(AT, AuditType.LOGIN_THROTTLED, "bob", null, "198.51.100.2", "account");
        assertEquals("{\"id\":\"e1\",\"type\":\"throttle.lockout\",\"time\":\"2026-12-03T16:40:00.123Z\","
                + "\"user\":\"bob\",\"acting_user\":null,\"token\":null,\"address\":\"198.51.100.2\","
                + "\"detail\":\"account\"}",
                WebhookPayload.json("e1", WebhookEventType.THROTTLE_LOCKOUT, lockout, null));

        AuditEvent warned = AuditEvent.of(AT, AuditType.TOKEN_EXPIRY_WARNED, "bob", null, null, null)
                .withToken(3L, "tka_x");
        assertTrue(WebhookPayload.json("e2", WebhookEventType.TOKEN_EXPIRING, warned, AT.plusSeconds(60))
                .endsWith(",\"detail\":null,\"expires_at\":\"2026-12-03T16:41:00.123Z\"}"));
    }

    @Test
    void anyFieldsFitTheColumnClippedAsTheTrailStoresThem() {
        // A client chooses a login name, which a lockout's detail repeats: thousands of control characters.
        String huge = "\u0001".repeat(6000);
        AuditEvent event = AuditEvent.of(AT, AuditType.LOGIN_THROTTLED, huge, huge, huge, "account " + huge)
                .withToken(Long.MAX_VALUE, huge);
        String json = WebhookPayload.json("e3", WebhookEventType.THROTTLE_LOCKOUT, event, null);
        assertTrue(json.length() <= WebhookPayload.MAX_LENGTH, Integer.toString(json.length()));
        assertTrue(json.contains("\"detail\":\"account \\u0001"), json.substring(0, 200));
    }
}
