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

    /** The longest payload stored: the audit trail's fields at their longest, each character escaped (6), fit in it. */
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
        text(body, "user", event.user());
        text(body, "acting_user", event.actingUser());
        if (event.tokenId() == null) {
            body.addNull("token");
        } else {
            JsonObjectBuilder token = BUILDERS.createObjectBuilder().add("id", event.tokenId());
            text(token, "prefix", event.tokenPrefix());
            body.add("token", token);
        }
        text(body, "address", event.clientAddress());
        text(body, "detail", event.detail());
        if (type == WebhookEventType.TOKEN_EXPIRING) {
            text(body, "expires_at", expiresAt == null ? null : expiresAt.toString());
        }
        StringWriter out = new StringWriter();
        try (JsonWriter writer = WRITERS.createWriter(out)) {
            writer.writeObject(body.build());
        }
        String json = out.toString();
        if (json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a webhook payload of " + json.length() + " characters");
        }
        return json;
    }

    private static void text(JsonObjectBuilder body, String key, String value) {
        if (value == null) {
            body.addNull(key);
        } else {
            body.add(key, value);
        }
    }
}
