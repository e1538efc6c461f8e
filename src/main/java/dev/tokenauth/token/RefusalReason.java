package dev.tokenauth.token;

import dev.tokenauth.EventKind;

/**
 * Why a presented token was refused. The client gets one and the same answer for every reason; the reason goes to
 * the audit trail (as the event's detail, in its {@linkplain #auditText words}) and to the metrics (by its tag).
 */
public enum RefusalReason implements EventKind {
    MALFORMED("malformed", "malformed"),
    UNKNOWN("unknown", "unknown"),
    REVOKED("revoked", "revoked"),
    EXPIRED("expired", "expired"),
    OWNER_DISABLED("owner disabled", "owner_disabled"),
    /** An Authorization header that names no token: another scheme, extra parts, bad characters, several headers. */
    UNUSABLE_HEADER("unusable Authorization header", "unusable_header");

    private final String auditText;
    private final String tag;

    RefusalReason(String auditText, String tag) {
        this.auditText = auditText;
        this.tag = tag;
    }

    /** The reason as the audit trail states it (the refusal's detail; stored, and in the log's summary). */
    public String auditText() {
        return auditText;
    }

    @Override
    public String tag() {
        return tag;
    }
}
