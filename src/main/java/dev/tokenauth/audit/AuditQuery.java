package dev.tokenauth.audit;

/**
 * A page of the audit trail, newest first.
 *
 * @param user only events about this user, or null for all
 */
public record AuditQuery(String user, int offset, int limit) {

    public static final int MAX_LIMIT = 500;

    public AuditQuery {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("offset must be >= 0 and limit 1.." + MAX_LIMIT);
        }
    }
}
