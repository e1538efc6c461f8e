package dev.tokenauth.webhook;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import dev.tokenauth.audit.AuditType;

/**
 * What a webhook is told of, by the name it goes by in {@code tokenauth.webhook.events} and in the payload's
 * {@code type}. Each is an audit event of one or more {@link AuditType}s: the outbox row is written with the audit
 * row, in its transaction.
 */
public enum WebhookEventType {
    /** A token will expire within {@link dev.tokenauth.token.TokenNotices#EXPIRING_WITHIN}; once per token. */
    TOKEN_EXPIRING("token.expiring", true, AuditType.TOKEN_EXPIRY_WARNED),
    /** A token was reported as leaked ({@code POST /api/credentials/revoke}) and revoked. */
    TOKEN_LEAKED("token.leaked", true, AuditType.TOKEN_LEAK_REPORTED),
    /** A replaced token was presented to rotate again: its rotation family was revoked. */
    TOKEN_REUSE_DETECTED("token.reuse_detected", true, AuditType.TOKEN_REUSE_DETECTED),
    /** Failed logins or failed token checks used up an allowance: an account or an address is locked for a while. */
    THROTTLE_LOCKOUT("throttle.lockout", true, AuditType.LOGIN_THROTTLED, AuditType.TOKEN_THROTTLED),
    /** An admin disabled a user. */
    USER_DISABLED("user.disabled", true, AuditType.USER_DISABLED),
    /** Opt-in: every token created, by a rotation too. */
    TOKEN_CREATED("token.created", false, AuditType.TOKEN_CREATED),
    /** Opt-in: every token revoked by its owner or an admin (a leak report is {@link #TOKEN_LEAKED}). */
    TOKEN_REVOKED("token.revoked", false, AuditType.TOKEN_REVOKED);

    private final String eventName;
    private final boolean byDefault;
    private final Set<AuditType> auditTypes;

    WebhookEventType(String eventName, boolean byDefault, AuditType first, AuditType... more) {
        this.eventName = eventName;
        this.byDefault = byDefault;
        this.auditTypes = EnumSet.of(first, more);
    }

    /** The name in settings and payloads: {@code token.leaked}. */
    public String eventName() {
        return eventName;
    }

    /** Whether it is sent when {@code tokenauth.webhook.events} is left at its default. */
    public boolean byDefault() {
        return byDefault;
    }

    /** The event type of an audit event, if any is made of it. */
    public static Optional<WebhookEventType> of(AuditType audit) {
        return Arrays.stream(values()).filter(t -> t.auditTypes.contains(audit)).findFirst();
    }

    /** The event type of this name, if there is one. */
    public static Optional<WebhookEventType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.eventName.equals(name)).findFirst();
    }
}
