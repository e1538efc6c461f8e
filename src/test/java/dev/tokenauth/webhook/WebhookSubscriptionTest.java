package dev.tokenauth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditType;

class WebhookSubscriptionTest {

    private static AuditEvent event(AuditType type) {
        return AuditEvent.of(Instant.EPOCH, type, "alice", null, null, null);
    }

    @Test
    void theDefaultIsEveryEventButTheOptInOnes() {
        WebhookSubscription subscription = WebhookSubscription.of("default");

        assertEquals("throttle.lockout,token.expiring,token.leaked,token.reuse_detected,user.disabled",
                subscription.toString());
        assertEquals(Optional.of(WebhookEventType.THROTTLE_LOCKOUT), subscription.typeOf(event(AuditType.LOGIN_THROTTLED)));
        assertEquals(Optional.of(WebhookEventType.THROTTLE_LOCKOUT), subscription.typeOf(event(AuditType.TOKEN_THROTTLED)));
        assertEquals(Optional.empty(), subscription.typeOf(event(AuditType.TOKEN_CREATED)));
        assertEquals(Optional.empty(), subscription.typeOf(event(AuditType.TOKEN_REFUSED)));
    }

    @Test
    void allAddsCreationsAndRevocationsAndAListNamesExactlyWhatIsSent() {
        assertEquals(Optional.of(WebhookEventType.TOKEN_CREATED),
                WebhookSubscription.of("all").typeOf(event(AuditType.TOKEN_CREATED)));
        WebhookSubscription two = WebhookSubscription.of(" token.leaked , USER.disabled ");
        assertEquals("token.leaked,user.disabled", two.toString());
        assertEquals(Optional.empty(), two.typeOf(event(AuditType.TOKEN_EXPIRY_WARNED)));
        assertTrue(WebhookSubscription.NONE.isEmpty());
        assertEquals(Optional.empty(), WebhookSubscription.NONE.typeOf(event(AuditType.TOKEN_LEAK_REPORTED)));
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookSubscription.of("token.leaked,token.stolen"));
        assertEquals("names 'token.stolen'; it takes default, all, or a list of token.expiring, token.leaked,"
                + " token.reuse_detected, throttle.lockout, user.disabled, token.created, token.revoked", e.getMessage());
    }
}
