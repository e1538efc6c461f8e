package dev.tokenauth.webhook;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;

import dev.tokenauth.audit.AuditEvent;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;

/**
 * The JSON body of a webhook delivery, made once, when the event is stored, so that every attempt sends (and signs)
 * the same bytes. It names the token by id and display prefix, as the audit trail does, never by a secret:
 * <pre>
 * {"id":"5f0c…","type":"token.leaked","time":"2026-12-03T16:40:00.123Z","user":"alice","acting_user":null,
 *  "token":{"id":12,"prefix":"tka_AbCdEfGh"},"address":"203.0.113.7","detail":"reported as leaked"}
 * </pre>
 * Every key is always there, null where the event has no such thing; {@code token.expiring} adds
 * {@code expires_at}.
 */
public final class WebhookPayload {

    /**
     * The longest payload: the audit trail's fields at their longest (each text clipped as the trail clips it), each
     * character escaped (6), fit in it.
     */
    public static final int MAX_LENGTH = 6000;

    // As the web layer's JsonFactories: the provider looked up once, not per event.
    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonWriterFactory WRITERS = PROVIDER.createWriterFactory(Map.of());

    private WebhookPayload() {
    }

    /**
     * @param expiresAt the token's expiry, for {@link WebhookEventType#TOKEN_EXPIRING}; null for other types
     */
    public static String json(String eventId, WebhookEventType type, AuditEvent event, Instant expiresAt) {
        JsonObjectBuilder body = BUILDERS.createObjectBuilder()
                .add("id", eventId)
                .add("type", type.eventName())
                .add("time", event.at().toString());
        // Each text at most as long as the audit trail keeps it: a client's long login name (a lockout's detail)
        // must not make a payload too long for its column, which would fail the change's transaction.
        text(body, "user", clip(event.user(), 255));
        text(body, "acting_user", clip(event.actingUser(), 255));
        if (event.tokenId() == null) {
            body.addNull("token");
        } else {
            JsonObjectBuilder token = BUILDERS.createObjectBuilder().add("id", event.tokenId());
            text(token, "prefix", clip(event.tokenPrefix(), 16));
            body.add("token", token);
        }
        text(body, "address", clip(event.clientAddress(), 64));
        text(body, "detail", clip(event.detail(), 255));
        if (type == WebhookEventType.TOKEN_EXPIRING) {
            text(body, "expires_at", expiresAt == null ? null : expiresAt.toString());
        }
        StringWriter out = new StringWriter();
        try (JsonWriter writer = WRITERS.createWriter(out)) {
            writer.writeObject(body.build());
        }
        return out.toString();
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static void text(JsonObjectBuilder body, String key, String value) {
        if (value == null) {
            body.addNull(key);
        } else {
            body.add(key, value);
        }
    }
}
