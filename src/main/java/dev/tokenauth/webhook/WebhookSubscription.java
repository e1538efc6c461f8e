package dev.tokenauth.webhook;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.tokenauth.audit.AuditEvent;

/**
 * The event types a webhook is sent ({@code tokenauth.webhook.events}); {@link #NONE} where no webhook is set.
 * Asked, as each audit event is stored, whether it makes an outbox row.
 */
public final class WebhookSubscription {

    public static final WebhookSubscription NONE = new WebhookSubscription(EnumSet.noneOf(WebhookEventType.class));

    private final Set<WebhookEventType> types;

    private WebhookSubscription(Set<WebhookEventType> types) {
        this.types = Set.copyOf(types);
    }

    /**
     * From the setting's value: {@code default} (every type but the opt-in ones), {@code all}, or a comma-separated
     * list of event names.
     *
     * @throws IllegalArgumentException naming what is wrong, for a name that is no event's
     */
    public static WebhookSubscription of(String value) {
        String list = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (list.equals("default")) {
            return new WebhookSubscription(Arrays.stream(WebhookEventType.values())
                    .filter(WebhookEventType::byDefault).collect(Collectors.toCollection(
                            () -> EnumSet.noneOf(WebhookEventType.class))));
        }
        if (list.equals("all")) {
            return new WebhookSubscription(EnumSet.allOf(WebhookEventType.class));
        }
        Set<WebhookEventType> chosen = EnumSet.noneOf(WebhookEventType.class);
        for (String name : list.split(",")) {
            chosen.add(WebhookEventType.named(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "names '" + name.trim() + "'; it takes default, all, or a list of " + names())));
        }
        return new WebhookSubscription(chosen);
    }

    /** Every event name, for messages and documents. */
    public static String names() {
        return Arrays.stream(WebhookEventType.values()).map(WebhookEventType::eventName)
                .collect(Collectors.joining(", "));
    }

    /** The webhook event this audit event makes, if the webhook is sent its type. */
    public Optional<WebhookEventType> typeOf(AuditEvent event) {
        return WebhookEventType.of(event.type()).filter(types::contains);
    }

    public boolean wants(WebhookEventType type) {
        return types.contains(type);
    }

    public boolean isEmpty() {
        return types.isEmpty();
    }

    @Override
    public String toString() {
        return types.isEmpty() ? "none" : types.stream().map(WebhookEventType::eventName).sorted()
                .collect(Collectors.joining(","));
    }
}
