package dev.tokenauth.audit;

/** What happened. */
public enum AuditType {
    TOKEN_CREATED,
    TOKEN_REVOKED,
    TOKEN_ROTATED,
    TOKEN_EXPIRED,
    TOKEN_REFUSED,
    /**
     * A token that a rotation had replaced was presented to rotate again after its grace period: someone else holds
     * the chain, and every active token of its rotation family was revoked.
     */
    TOKEN_REUSE_DETECTED,
    /** Someone reported an active token as leaked ({@code POST /api/credentials/revoke}), and it was revoked. */
    TOKEN_LEAK_REPORTED,
    /**
     * A token will expire within seven days: noted once per token, by one node, for the webhook's
     * {@code token.expiring} (only while a webhook is sent that event).
     */
    TOKEN_EXPIRY_WARNED,
    USER_CREATED,
    USER_DISABLED,
    USER_ENABLED,
    PASSWORD_RESET,
    ACT_AS_STARTED,
    ACT_AS_STOPPED,
    /** Failed logins used up an account's or a client address's allowance: it is throttled for a while. */
    LOGIN_THROTTLED,
    /** Failed token authentications used up a client address's allowance: it is throttled for a while. */
    TOKEN_THROTTLED,
    /** An online backup of the embedded database was made (detail: its directory's name). */
    BACKUP_MADE,
    /** An online backup failed; nothing of it was kept (detail: why). */
    BACKUP_FAILED,
    /** A webhook event could not be delivered within the retry bound; it is not sent again (detail: its id, why). */
    WEBHOOK_GAVE_UP
}
